package dev.rigger.controller.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (token, password, key) that prints as {@code ***} wherever it ends up: logs, events,
 * exception messages, string concatenation. Only {@link #reveal()} hands out the value, so every place
 * that needs it is easy to find.
 */
public final class Secret {

    private static final String MASK = "***";

    private final byte[] value;

    private Secret(byte[] value) {
        this.value = value;
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret value");
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The value itself; call it only where the secret leaves the process on purpose. */
    public String reveal() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    /** Compares in constant time, so that a caller checking a token learns nothing from the timing. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && MessageDigest.isEqual(value, secret.value);
    }

    /** The same for every secret: a hash of the value would leak a little of it into hash-based logs. */
    @Override
    public int hashCode() {
        return Secret.class.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }

    /** Same value, checked in constant time; for comparing against a token received as plain text. */
    public boolean matches(String candidate) {
        return candidate != null
                && MessageDigest.isEqual(value, candidate.getBytes(StandardCharsets.UTF_8));
    }

}
