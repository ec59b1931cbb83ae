package dev.rigger.controller.cli;

/** Input the user can fix: the message names where and what was expected. Exit code 2. */
final class BadInputException extends Exception {
    BadInputException(String message) {
        super(message);
    }
}
