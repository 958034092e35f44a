package io.totptoken.host.cli;

import java.io.Console;

/** The user's terminal, when there is one: prompts without echo, confirmations, Enter for a touch. */
interface Terminal {
    /** Reads a line without echo, or null at end of input. */
    char[] readPassword(String prompt);

    /** Reads a line, or null at end of input. */
    String readLine(String prompt);

    /** The process's terminal (System.console()), or null when input or output is not a terminal. */
    static Terminal system() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        return new Terminal() {
            @Override
            public char[] readPassword(String prompt) {
                return console.readPassword("%s", prompt);
            }

            @Override
            public String readLine(String prompt) {
                return console.readLine("%s", prompt);
            }
        };
    }
}
