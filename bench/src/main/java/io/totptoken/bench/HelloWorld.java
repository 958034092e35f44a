package io.totptoken.bench;

/**
 * The start-up baseline of the command-line tables: a JVM that starts, prints one line and exits,
 * run with the launcher's own flags, so what a tokenctl command costs beyond the JVM shows.
 */
public final class HelloWorld {
    private HelloWorld() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
