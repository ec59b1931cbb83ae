package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.rigger.ecssim.ConsoleLog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes management-API calls by method and path template ({@code /vdc/data-stores/{id}/tasks/{op}}),
 * checks the login token, turns {@link ApiError} into ECS's error body and logs one line per call
 * (method, path without query, status: never credentials, tokens or keys).
 *
 * <p>A {@code .json} suffix on the last path segment selects JSON in ECS ({@code /login.json},
 * {@code /license.json}); the simulator accepts it on every path and answers JSON in any case, except
 * that {@code /login} without the suffix and without an {@code Accept: application/json} header answers
 * ECS's XML body [inferred]. When a path matches several templates, the one with more literal segments
 * wins, so {@code /object/vdcs/vdc/list} is not taken for a VDC named "list".
 */
public final class ApiRouter implements HttpHandler {
    public static final String TOKEN_HEADER = "X-SDS-AUTH-TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Route(String method, String[] segments, boolean authenticated, ApiHandler handler) {
        int literals() {
            int n = 0;
            for (String s : segments) {
                if (!s.startsWith("{")) {
                    n++;
                }
            }
            return n;
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final TokenRegistry tokens;
    private final FaultPlan faults;

    public ApiRouter(TokenRegistry tokens) {
        this(tokens, null);
    }

    /** @param faultsFile where a test may ask for injected errors (see {@link FaultPlan}); null for none */
    public ApiRouter(TokenRegistry tokens, java.nio.file.Path faultsFile) {
        this.tokens = tokens;
        this.faults = new FaultPlan(faultsFile);
    }

    /** A call that needs a valid login token. */
    public void add(String method, String template, ApiHandler handler) {
        routes.add(new Route(method, split(template), true, handler));
    }

    /** A call that authenticates by itself (login). */
    public void addPublic(String method, String template, ApiHandler handler) {
        routes.add(new Route(method, split(template), false, handler));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        ApiResponse response;
        try {
            response = dispatch(exchange, method, rawPath);
        } catch (ApiError e) {
            response = error(e);
        } catch (RuntimeException e) {
            ConsoleLog.boot("error: " + method + " " + rawPath + " failed: " + e);
            response = error(ApiError.internal(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        write(exchange, response);
        ConsoleLog.request(method, rawPath, response.status());
    }

    private ApiResponse dispatch(HttpExchange exchange, String method, String rawPath) throws IOException {
        String[] path = split(rawPath);
        boolean jsonSuffix = false;
        if (path.length > 0 && path[path.length - 1].endsWith(".json")) {
            String last = path[path.length - 1];
            path[path.length - 1] = last.substring(0, last.length() - ".json".length());
            jsonSuffix = true;
        }
        Route best = null;
        Map<String, String> bestParams = null;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = match(route.segments(), path);
            if (params == null) {
                continue;
            }
            allowed.add(route.method());
            if (route.method().equals(method) && (best == null || route.literals() > best.literals())) {
                best = route;
                bestParams = params;
            }
        }
        if (best == null) {
            drain(exchange);
            if (allowed.isEmpty()) {
                throw ApiError.notFound("no such path: " + rawPath);
            }
            ApiError notAllowed = ApiError.methodNotAllowed(method + " " + rawPath + " (allowed: "
                    + String.join(", ", allowed) + ")");
            exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
            throw notAllowed;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (best.authenticated() && !tokens.isValid(token(exchange))) {
            throw ApiError.unauthorized(token(exchange) == null
                    ? "no X-SDS-AUTH-TOKEN header; log in with GET /login first"
                    : "the X-SDS-AUTH-TOKEN is not valid (expired, logged out or issued before a restart)");
        }
        faults.check(method, "/" + String.join("/", path));
        ApiRequest request = new ApiRequest(method, rawPath, bestParams, query(exchange.getRequestURI().getRawQuery()),
                exchange.getRequestHeaders(), body, jsonSuffix);
        return best.handler().handle(request);
    }

    /** The token comes in the X-SDS-AUTH-TOKEN header; ECS also takes it as a cookie of that name. */
    static String token(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        List<String> cookies = exchange.getRequestHeaders().get("Cookie");
        if (cookies != null) {
            for (String cookie : cookies) {
                for (String pair : cookie.split(";")) {
                    String[] kv = pair.trim().split("=", 2);
                    if (kv.length == 2 && kv[0].equalsIgnoreCase(TOKEN_HEADER)) {
                        return kv[1].trim();
                    }
                }
            }
        }
        return null;
    }

    private static ApiResponse error(ApiError e) {
        ObjectNode body = JSON.createObjectNode();
        body.put("code", e.code());
        body.put("retryable", e.retryable());
        body.put("description", e.description());
        body.put("details", e.details());
        return ApiResponse.json(e.status(), body);
    }

    private static void write(HttpExchange exchange, ApiResponse response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (response.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
        }
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    private static void drain(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
    }

    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return parts.toArray(new String[0]);
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return query;
    }
}
