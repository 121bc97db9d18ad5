package dev.switchback.cli;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.function.Supplier;

/** A yes on the terminal before a command destroys something; without a terminal, the command needs --yes. */
final class Confirmation {
    private Confirmation() {
    }

    /**
     * @param warning   what the command is about to destroy, shown before the question
     * @param question  asked on the terminal, answered with yes (made only when there is a terminal)
     * @param cancelled the message when the answer is not yes, e.g. "Restore cancelled; nothing was changed"
     * @throws SwitchbackException (CONFIG) without a terminal, or unless the answer is yes
     */
    static void ask(String warning, Supplier<String> question, String cancelled) {
        java.io.Console console = System.console();
        if (console == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, warning
                    + "\nNothing was changed: without a terminal to confirm on, pass --yes.");
        }
        console.printf("%s%n", warning);
        String answer = console.readLine("%s? Type yes to continue: ", question.get());
        if (answer == null || !answer.strip().equalsIgnoreCase("yes")) {
            throw new SwitchbackException(ErrorCode.CONFIG, cancelled);
        }
    }
}
