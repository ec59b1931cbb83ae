package dev.rigger.controller.cli;

import dev.rigger.playbook.Problem;

/**
 * Input the user can fix: the message names where and what was expected. Exit code 2. Each line of the
 * message is made printable (a newline or an escape sequence in an argument must not forge output).
 */
final class BadInputException extends Exception {
    BadInputException(String message) {
        super(message.lines().map(Problem::printable).collect(java.util.stream.Collectors.joining("\n")));
    }
}
