package io.totptoken.host.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets the token options come before the command, as in {@code tokenctl --port /dev/ttyACM0 accounts
 * list} (the form ykman users type): {@code --reader}, {@code --port} and {@code --sim} given ahead
 * of the command words are moved to just after them, where the command's own options are parsed.
 * Picocli-free, so the fast path sees the same arguments.
 */
final class LeadingTokenOptions {
    private static final String[] GROUPS = {"accounts", "access", "clock", "sim"};

    private LeadingTokenOptions() {
    }

    static String[] hoist(String[] args) {
        List<String> moved = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            String a = args[i];
            if (isTokenOption(a) && i + 1 < args.length) {
                moved.add(a);
                moved.add(args[++i]);
            } else if (a.startsWith("--reader=") || a.startsWith("--port=") || a.startsWith("--sim=")) {
                moved.add(a);
            } else {
                rest.add(a);
            }
        }
        if (moved.isEmpty() || i >= args.length || args[i].equals("bulk")) {
            return args;
        }
        rest.add(args[i]);
        boolean group = contains(args[i]);
        i++;
        // Within a group, the subcommand word (after any group-level -v) comes before the options.
        while (group && i < args.length && args[i].startsWith("-") && (args[i].equals("-v") || args[i].equals("--verbose"))) {
            rest.add(args[i++]);
        }
        if (group && i < args.length && !args[i].startsWith("-")) {
            rest.add(args[i++]);
        }
        rest.addAll(moved);
        for (; i < args.length; i++) {
            rest.add(args[i]);
        }
        return rest.toArray(new String[0]);
    }

    private static boolean isTokenOption(String a) {
        return a.equals("-r") || a.equals("--reader") || a.equals("--port") || a.equals("--sim");
    }

    private static boolean contains(String word) {
        for (String g : GROUPS) {
            if (g.equals(word)) {
                return true;
            }
        }
        return false;
    }
}
