package dev.rigger.ecssim.api;

import dev.rigger.ecssim.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * {@code GET /login} (HTTP Basic, user root), {@code GET /logout}, {@code GET /user/whoami}, and root's
 * management-user record: {@code GET /vdc/users/root} and {@code PUT /vdc/users/root}
 * ({@code {"password", "isSystemAdmin", "isSystemMonitor"}}, as python-ecsclient's
 * {@code modify_local_user_info} sends it; 200, no body). After a change the old password gets 401 and the
 * new one logs in; tokens already issued stay valid [inferred]. The changed password survives a restart
 * (salted PBKDF2 in the state file). The token comes back in the X-SDS-AUTH-TOKEN header. Bad or missing
 * credentials: 401, code 4000, details "Invalid username or password" (the text python-ecsclient reports).
 */
public final class AuthResource {
    private static final String USER = "root";
    private static final int ITERATIONS = 100_000;

    private final TokenRegistry tokens;
    private final byte[] bootPassword;
    private final StateStore store;
    private final SecureRandom random = new SecureRandom();

    public AuthResource(TokenRegistry tokens, String bootPassword, StateStore store) {
        this.tokens = tokens;
        this.bootPassword = bootPassword.getBytes(StandardCharsets.UTF_8);
        this.store = store;
    }

    public void register(ApiRouter router) {
        router.addPublic("GET", "/login", this::login);
        router.add("GET", "/logout", this::logout);
        router.add("GET", "/user/whoami", request -> ApiResponse.ok(Json.object()
                .put("common_name", USER)
                .put("distinguished_name", USER)
                .put("namespace", "")
                .put("last_time_password_changed", "")
                .set("roles", Json.array().add("SYSTEM_ADMIN"))));
        router.add("GET", "/vdc/users/{uid}", request -> {
            requireRoot(request.param("uid"));
            return ApiResponse.ok(Json.object().put("userId", USER).put("isSystemAdmin", true)
                    .put("isSystemMonitor", false));
        });
        router.add("PUT", "/vdc/users/{uid}", this::modify);
    }

    private ApiResponse login(ApiRequest request) {
        if (!validBasic(request.headers().getFirst("Authorization"))) {
            throw ApiError.unauthorized("Invalid username or password");
        }
        String token = tokens.issue();
        String accept = request.headers().getFirst("Accept");
        ApiResponse response = request.jsonSuffix() || (accept != null && accept.contains("json"))
                ? ApiResponse.ok(Json.object().put("user", USER))
                : ApiResponse.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                        + "<loggedIn><user>" + USER + "</user></loggedIn>");
        return response.withHeader(ApiRouter.TOKEN_HEADER, token);
    }

    private ApiResponse logout(ApiRequest request) {
        if ("true".equalsIgnoreCase(request.query().get("force"))) {
            tokens.revokeAll();
        } else {
            tokens.revoke(request.headers().getFirst(ApiRouter.TOKEN_HEADER));
        }
        return ApiResponse.ok(Json.object().put("user", USER));
    }

    private ApiResponse modify(ApiRequest request) {
        requireRoot(request.param("uid"));
        String password = ApiRequest.requiredText(request.json(), "password");
        if (password == null || password.isEmpty()) {
            throw ApiError.missing("password");
        }
        String hash = hash(password);
        store.mutate(state -> state.rootPasswordHash = hash);
        return ApiResponse.empty(200);
    }

    private static void requireRoot(String uid) {
        if (!USER.equals(uid)) {
            throw ApiError.notFound("management user " + uid + " not found; the simulator has root only");
        }
    }

    private boolean validBasic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || !decoded.substring(0, colon).equals(USER)) {
            return false;
        }
        String given = decoded.substring(colon + 1);
        String stored = store.read(state -> state.rootPasswordHash);
        if (stored == null) {
            return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), bootPassword);
        }
        String[] parts = stored.split(":", 2);
        return parts.length == 2 && MessageDigest.isEqual(
                derive(given, Base64.getDecoder().decode(parts[0])), Base64.getDecoder().decode(parts[1]));
    }

    private String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(derive(password, salt));
    }

    private static byte[] derive(String password, byte[] salt) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw ApiError.internal("no PBKDF2 in this runtime");
        }
    }
}
