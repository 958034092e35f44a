package io.totptoken.host.cli;

import java.util.concurrent.Callable;

/** {@code tokenctl}: the everyday commands through {@link FastPath}, everything else through picocli ({@link Tokenctl}). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(CliEnvironment.system(), args);
        System.out.flush();
        System.exit(code);
    }

    static int run(CliEnvironment env, String... given) {
        String[] args = LeadingTokenOptions.hoist(given);
        Invocation run = new Invocation(env);
        Callable<Integer> fast = FastPath.parse(run, args);
        return fast != null ? Failures.call(run, fast) : new Tokenctl(run).execute(args);
    }
}
