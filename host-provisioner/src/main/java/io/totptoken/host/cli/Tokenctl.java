package io.totptoken.host.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Builds tokenctl's command line with picocli and runs it. Only the command being run is built
 * (picocli inspects each command class by reflection, which costs start-up time); help,
 * completion and unknown commands get the whole tree. Picocli's usage errors become exit code 2
 * here; every other exception goes to {@link Failures}.
 */
final class Tokenctl {
    private static final String[] TOP = {"info", "readers", "ports", "accounts", "access", "clock", "reset", "selftest", "sim", "bulk", "completion"};
    private static final String[] ACCOUNTS = {"add", "list", "code", "delete", "rename"};
    private static final String[] ACCESS = {"change", "clear", "forget"};
    private static final String[] SIM = {"serve", "press"};
    private static final String[] CLOCK = {"show", "sync", "set"};
    private static final String[] BULK = {"provision", "verify", "export", "status"};

    private final Invocation run;

    Tokenctl(Invocation run) {
        this.run = run;
    }

    int execute(String... args) {
        CommandLine cli;
        String[] help = helpWords(args);
        try {
            cli = build(run, help != null ? help : args);
        } catch (RuntimeException e) {
            return Failures.report(run, e);
        }
        return help != null ? help(cli, help) : cli.execute(args);
    }

    /**
     * The command words after {@code help} ({@code tokenctl help accounts code}), or null when the
     * command is not {@code help}. Picocli's help command takes one word ({@code help accounts code}
     * would show the accounts group); this walks as deep as the words go, builds only that branch of
     * the tree, and gives a mistyped word the same suggestion as anywhere else.
     */
    static String[] helpWords(String[] args) {
        int first = positional(args, 0);
        if (first < 0 || !args[first].equals("help")) {
            return null;
        }
        List<String> words = new ArrayList<>();
        for (int i = first + 1; i < args.length && !args[i].startsWith("-"); i++) {
            words.add(args[i]);
        }
        return words.toArray(new String[0]);
    }

    private int help(CommandLine root, String[] words) {
        CommandLine at = root;
        for (String word : words) {
            CommandLine sub = at.getSubcommands().get(word);
            if (sub == null) {
                List<String> close = Suggestions.similar(word, at.getSubcommands().keySet());
                String name = at.getCommandSpec().qualifiedName();
                run.err().println("tokenctl: '" + word + "' is not a command of " + name
                        + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
                        + " (see " + name + " --help)");
                return ExitCodes.USAGE;
            }
            at = sub;
        }
        at.usage(at.getOut());
        return ExitCodes.OK;
    }

    /** The whole command tree (for help and completion). */
    static CommandLine full(Invocation run) {
        return build(run, new String[0]);
    }

    private static CommandLine build(Invocation run, String[] args) {
        CommandLine root = new CommandLine(new Groups.Root(run));
        int first = positional(args, 0);
        String top = first < 0 ? null : args[first];
        if (!contains(TOP, top)) {
            for (String name : TOP) {
                root.addSubcommand(name, group(run, name, null));
            }
            root.addSubcommand("help", new Groups.Help());
        } else {
            int second = positional(args, first + 1);
            root.addSubcommand(top, group(run, top, second < 0 ? null : args[second]));
        }
        configure(root, run);
        return root;
    }

    /** A top-level command; for a group, only {@code only} among its subcommands when it names one. */
    private static CommandLine group(Invocation run, String name, String only) {
        String[] children = switch (name) {
            case "accounts" -> ACCOUNTS;
            case "access" -> ACCESS;
            case "sim" -> SIM;
            case "clock" -> CLOCK;
            case "bulk" -> BULK;
            default -> null;
        };
        if (children == null) {
            return new CommandLine(command(run, name));
        }
        CommandLine group = new CommandLine(command(run, name));
        for (String child : children) {
            if (only == null || !contains(children, only) || child.equals(only)) {
                group.addSubcommand(child, new CommandLine(command(run, name + " " + child)));
            }
        }
        return group;
    }

    /** A switch rather than a table of constructor references: no lambda bootstrap on the start-up path. */
    private static Object command(Invocation run, String path) {
        return switch (path) {
            case "info" -> new InfoCommand(run);
            case "readers" -> new ReadersCommand(run);
            case "ports" -> new PortsCommand(run);
            case "accounts" -> new Groups.Accounts(run);
            case "accounts add" -> new AddCommand(run);
            case "accounts list" -> new ListCommand(run);
            case "accounts code" -> new CodeCommand(run);
            case "accounts delete" -> new DeleteCommand(run);
            case "accounts rename" -> new RenameCommand(run);
            case "access" -> new AccessCommands.Group(run);
            case "access change" -> new AccessCommands.Change(run);
            case "access clear" -> new AccessCommands.Clear(run);
            case "access forget" -> new AccessCommands.Forget(run);
            case "reset" -> new ResetCommand(run);
            case "selftest" -> new SelfTestCommand(run);
            case "sim" -> new Groups.Sim(run);
            case "sim serve" -> new SimServeCommand(run);
            case "sim press" -> new SimPressCommand(run);
            case "clock" -> new ClockCommands.Group(run);
            case "clock show" -> new ClockCommands.Show(run);
            case "clock sync" -> new ClockCommands.Sync(run);
            case "clock set" -> new ClockCommands.Set(run);
            case "bulk" -> new Groups.Bulk(run);
            case "bulk provision" -> new BulkProvisionCommand(run);
            case "bulk verify" -> new BulkVerifyCommand(run);
            case "bulk export" -> new BulkJournalCommands.Export(run);
            case "bulk status" -> new BulkJournalCommands.Status(run);
            case "completion" -> new CompletionCommand(run);
            default -> throw new IllegalArgumentException(path);
        };
    }

    private static void configure(CommandLine cli, Invocation run) {
        CommandSpec spec = cli.getCommandSpec();
        spec.mixinStandardHelpOptions(true);
        spec.version("tokenctl " + version());
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.table());
        cli.setOut(new PrintWriter(run.out(), true));
        cli.setErr(new PrintWriter(run.err(), true));
        // '@' starts many things (names, oathtool's "@EPOCH"), never an argument file here.
        cli.setExpandAtFiles(false);
        cli.setParameterExceptionHandler((e, args) -> {
            run.err().println("tokenctl: " + usageError(e) + " (see "
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> Failures.report(run, e));
        for (CommandLine sub : cli.getSubcommands().values()) {
            configure(sub, run);
        }
    }

    /** Picocli's message, with a suggestion for a mistyped command or option. */
    private static String usageError(CommandLine.ParameterException e) {
        String message = Failures.oneLine(e.getMessage());
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return message;
        }
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        String typed = u.getUnmatched().get(0);
        List<String> names = new ArrayList<>();
        if (typed.startsWith("-")) {
            int eq = typed.indexOf('=');
            typed = eq > 0 ? typed.substring(0, eq) : typed;
            for (CommandLine.Model.OptionSpec o : spec.options()) {
                if (!o.hidden()) {
                    names.add(o.longestName());
                }
            }
        } else if (!spec.subcommands().isEmpty()) {
            message = "'" + typed + "' is not a command of " + spec.qualifiedName();
            names.addAll(spec.subcommands().keySet());
        } else {
            return message;
        }
        List<String> close = Suggestions.similar(typed, names);
        return close.isEmpty() ? message : message + "; did you mean " + String.join(" or ", close) + "?";
    }

    static String version() {
        String v = Tokenctl.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** Index of the first argument at or after {@code from} that is not an option, or -1. */
    private static int positional(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            if (args[i].equals("--")) {
                return -1;
            }
            if (!args[i].startsWith("-")) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(String[] names, String name) {
        if (name == null) {
            return false;
        }
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
