package dev.rigger.ecssim.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * {@code GET /login} (HTTP Basic, user root), {@code GET /logout}, {@code GET /user/whoami}.
 * The token comes back in the X-SDS-AUTH-TOKEN header. Bad or missing credentials: 401, code 4000,
 * details "Invalid username or password" (the text python-ecsclient reports).
 */
public final class AuthResource {
    private static final String USER = "root";

    private final TokenRegistry tokens;
    private final byte[] password;

    public AuthResource(TokenRegistry tokens, String password) {
        this.tokens = tokens;
        this.password = password.getBytes(StandardCharsets.UTF_8);
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
        return colon > 0
                && decoded.substring(0, colon).equals(USER)
                && MessageDigest.isEqual(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8), password);
    }
}
