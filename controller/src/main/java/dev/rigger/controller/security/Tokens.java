package dev.rigger.controller.security;

import java.security.SecureRandom;
import java.util.Base64;

/** Tokens that prove an agent is the one the controller just started. */
public final class Tokens {

    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** 32 random bytes, base64url without padding (43 characters, safe on a command's stdin line). */
    public static Secret oneTime() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
}
