package dev.rigger.protocol;

/** Before and after of what a module changed (or would change, in check mode), as text for people. */
public record Diff(String before, String after) {
}
