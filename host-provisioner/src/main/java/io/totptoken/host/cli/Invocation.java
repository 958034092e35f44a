package io.totptoken.host.cli;

import java.io.PrintStream;
import java.util.function.Consumer;

/** One run of tokenctl: its environment and the global flags every command sees. */
final class Invocation {
    final CliEnvironment env;
    boolean verbose;

    Invocation(CliEnvironment env) {
        this.env = env;
    }

    PrintStream out() {
        return env.out();
    }

    PrintStream err() {
        return env.err();
    }

    /** Where APDU traces go: stderr with -v, nowhere otherwise. */
    Consumer<String> trace() {
        if (!verbose) {
            return null;
        }
        return new Consumer<String>() {
            @Override
            public void accept(String line) {
                env.err().println("tokenctl: " + line);
            }
        };
    }

    /** A note for the user on stderr (progress, prompts), so stdout stays the command's result. */
    void note(String message) {
        env.err().println(message);
    }
}
