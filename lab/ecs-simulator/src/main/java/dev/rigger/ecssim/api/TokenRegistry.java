package dev.rigger.ecssim.api;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login tokens of the management API (X-SDS-AUTH-TOKEN), kept in memory only. ECS expires tokens after
 * 8 h (2 h idle); the simulator never expires them, since no lab run lasts that long [inferred].
 */
public final class TokenRegistry {
    private final SecureRandom random = new SecureRandom();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();

    public String issue() {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        String token = "BAAc" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.add(token);
        return token;
    }

    public boolean isValid(String token) {
        return token != null && tokens.contains(token);
    }

    public void revoke(String token) {
        tokens.remove(token);
    }

    /** {@code GET /logout?force=true}: the single root user loses all its tokens. */
    public void revokeAll() {
        tokens.clear();
    }
}
