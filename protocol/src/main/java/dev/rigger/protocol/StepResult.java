package dev.rigger.protocol;

import java.util.List;

/**
 * One applied step of a module's plan: a command it ran, or a change it made natively
 * (then {@code argv} is empty and {@code description} says what was done).
 */
public record StepResult(String description, List<String> argv, int exitCode, String stdout, String stderr, long tookMs) {
}
