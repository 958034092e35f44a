package io.totptoken.host.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The everyday commands ({@code accounts code}, {@code accounts list}, {@code accounts add URI...})
 * parsed without picocli. Starting picocli costs more than the whole rest of a run (its CommandLine
 * class initialisation and reflection take tens of milliseconds, measured in docs/cli.md), and
 * {@code accounts code} should answer as fast as a plain PC/SC client.
 *
 * <p>This parser knows only the plain forms: the commands' own options spelled out, each value in
 * the next argument or after '='. For anything else (help, clustered short options, an unknown or
 * repeated option, a missing value, "--", a "-" other than accounts add's) it returns null and picocli parses the arguments, so
 * errors and help look the same either way. It fills the very command objects picocli fills, and a
 * test checks that both parsers agree on every argument list this one accepts.
 */
final class FastPath {
    private FastPath() {
    }

    /** The command to run, or null when picocli should parse the arguments. */
    static Callable<Integer> parse(Invocation run, String[] args) {
        Args a = new Args(args);
        boolean verbose = a.verboseFlags();
        if (!a.take("accounts")) {
            return null;
        }
        verbose |= a.verboseFlags();
        TokenCommand command;
        if (a.take("code")) {
            command = new CodeCommand(run);
        } else if (a.take("list")) {
            command = new ListCommand(run);
        } else if (a.take("add")) {
            command = new AddCommand(run);
        } else {
            return null;
        }
        boolean leafVerbose = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (a.more()) {
            String arg = a.next();
            if (arg.equals("--") || arg.equals("-") && !(command instanceof AddCommand)) {
                return null;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                if (!positional(command, arg)) {
                    return null;
                }
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            String key = canonical(command, name);
            if (key == null) {
                return null;
            }
            boolean repeatable = key.equals("--reader") || key.equals("--sim") || key.equals("--port");
            if (!repeatable && !seen.add(key)) {
                return null;
            }
            if (isFlag(key)) {
                if (value != null) {
                    return null;
                }
                if (key.equals("--verbose")) {
                    leafVerbose = true;
                } else {
                    flag(command, key);
                }
                continue;
            }
            if (value == null) {
                if (!a.more() || a.peek().startsWith("-")) {
                    return null;
                }
                value = a.next();
            }
            value(command, key, value);
        }
        run.verbose = verbose || leafVerbose;
        return command;
    }

    /** The long name of an option the command has, or null. */
    private static String canonical(TokenCommand command, String name) {
        String key = switch (name) {
            case "-v", "--verbose" -> "--verbose";
            case "-r", "--reader" -> "--reader";
            case "--sim", "--port", "--password-file", "--remember", "--passphrase-file" -> name;
            default -> null;
        };
        if (key != null) {
            return key;
        }
        if (command instanceof CodeCommand) {
            return switch (name) {
                case "--json" -> name;
                case "-t", "--time" -> "--time";
                case "-n", "--next" -> "--next";
                case "-s", "--single" -> "--single";
                case "-H", "--show-hidden" -> "--show-hidden";
                default -> null;
            };
        }
        if (command instanceof ListCommand) {
            return switch (name) {
                case "--json" -> name;
                case "-H", "--show-hidden" -> "--show-hidden";
                default -> null;
            };
        }
        return switch (name) {
            case "-f", "--force" -> "--force";
            case "--touch", "--show-secret" -> name;
            default -> null;
        };
    }

    private static boolean isFlag(String key) {
        return switch (key) {
            case "--reader", "--sim", "--port", "--password-file", "--passphrase-file", "--time" -> false;
            default -> true;
        };
    }

    private static void flag(TokenCommand command, String key) {
        if (command instanceof CodeCommand c) {
            switch (key) {
                case "--json" -> c.json = true;
                case "--next" -> c.next = true;
                case "--single" -> c.single = true;
                case "--show-hidden" -> c.showHidden = true;
                default -> c.password.remember = true;
            }
        } else if (command instanceof ListCommand l) {
            switch (key) {
                case "--json" -> l.json = true;
                case "--show-hidden" -> l.showHidden = true;
                default -> l.password.remember = true;
            }
        } else {
            AddCommand add = (AddCommand) command;
            switch (key) {
                case "--force" -> add.force = true;
                case "--touch" -> add.touch = true;
                case "--show-secret" -> add.showSecret = true;
                default -> add.password.remember = true;
            }
        }
    }

    private static void value(TokenCommand command, String key, String value) {
        switch (key) {
            case "--reader" -> command.token.readers.add(value);
            case "--sim" -> command.token.sims.add(Path.of(value));
            case "--port" -> command.token.ports.add(value);
            case "--time" -> ((CodeCommand) command).time = value;
            case "--passphrase-file" -> command.token.passphraseFile = Path.of(value);
            default -> password(command).passwordFile = Path.of(value);
        }
    }

    private static PasswordOptions password(TokenCommand command) {
        if (command instanceof CodeCommand c) {
            return c.password;
        }
        if (command instanceof ListCommand l) {
            return l.password;
        }
        return ((AddCommand) command).password;
    }

    private static boolean positional(TokenCommand command, String arg) {
        if (command instanceof CodeCommand c && c.query == null) {
            c.query = arg;
            return true;
        }
        if (command instanceof AddCommand add) {
            add.uris.add(arg);
            return true;
        }
        return false;
    }

    /** The arguments, read left to right. */
    private static final class Args {
        private final String[] args;
        private int i;

        Args(String[] args) {
            this.args = args;
        }

        boolean more() {
            return i < args.length;
        }

        String peek() {
            return args[i];
        }

        String next() {
            return args[i++];
        }

        boolean take(String word) {
            if (more() && args[i].equals(word)) {
                i++;
                return true;
            }
            return false;
        }

        /** A group level's -v (one allowed, as picocli allows one per level). */
        boolean verboseFlags() {
            if (more() && (args[i].equals("-v") || args[i].equals("--verbose"))) {
                i++;
                return true;
            }
            return false;
        }
    }
}
