package dev.rigger.controller.modules.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.controller.security.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A small client of the ECS management API (reference §3): Basic-auth login for the
 * {@code X-SDS-AUTH-TOKEN}, then JSON calls with that token. Errors carry ECS's code and description;
 * the password and token never appear in them.
 */
final class EcsClient {
    static final String TOKEN_HEADER = "X-SDS-AUTH-TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits before each new attempt of a call ECS may answer later: 0.5 s, doubling, 6 attempts in all (about 15 s). */
    static final long[] RETRY_DELAYS_MS = {500, 1000, 2000, 4000, 8000};

    private final URI endpoint;
    private final HttpClient http;
    private final BooleanSupplier portOpen;
    private Secret token;
    private Consumer<String> notes = line -> { };

    /**
     * @param endpoint where to connect (the tunnel's local end, or the given endpoint)
     * @param tls      trusts ECS's pinned certificate ({@link EcsTrust}), or the JDK's CAs
     * @param portOpen whether anything listens on the API's port yet
     */
    EcsClient(URI endpoint, SSLContext tls, BooleanSupplier portOpen) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).sslContext(tls).build();
        this.portOpen = portOpen;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Where retries are reported, as the task's progress. */
    void onRetry(Consumer<String> notes) {
        this.notes = notes;
    }

    /** Logs in; returns normally only with a token in hand. */
    void login(String user, Secret password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/login"))
                .header("Authorization", "Basic " + basic).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        String t = r.headers().firstValue(TOKEN_HEADER).orElse(null);
        if (r.statusCode() != 200 || t == null || t.isBlank()) {
            throw error("GET /login", r);
        }
        token = Secret.of(t.strip());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return call("GET", path, null);
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return call("POST", path, body);
    }

    JsonNode put(String path, Object body) throws IOException, InterruptedException {
        return call("PUT", path, body);
    }

    /** A GET whose 404 means "not there" rather than an error. */
    JsonNode find(String path) throws IOException, InterruptedException {
        try {
            return get(path);
        } catch (EcsApiException e) {
            if (e.status() == 404 || e.code() == 1004 || e.code() == 1019) {
                return null;
            }
            throw e;
        }
    }

    /**
     * One call, tried again while ECS says it may work later: {@code "retryable": true} for any method; a 502,
     * 503 or 504 (nothing was done) for any method; another 5xx for a GET only, since a create may have been
     * made before the error. Anything else fails at once with ECS's code and description.
     */
    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return callOnce(method, path, body);
            } catch (EcsApiException e) {
                if (attempt >= RETRY_DELAYS_MS.length || !mayRetry(method, e)) {
                    throw e;
                }
                long delay = RETRY_DELAYS_MS[attempt];
                notes.accept(e.getMessage() + (e.retryable() ? " (retryable)" : "") + "; trying again in "
                        + delay / 1000.0 + " s (attempt " + (attempt + 2) + " of " + (RETRY_DELAYS_MS.length + 1) + ")");
                Thread.sleep(delay);
            }
        }
    }

    static boolean mayRetry(String method, EcsApiException e) {
        int s = e.status();
        return e.retryable() || s == 502 || s == 503 || s == 504 || (s >= 500 && "GET".equals(method));
    }

    private JsonNode callOnce(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").header(TOKEN_HEADER, token == null ? "" : token.reveal());
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw error(method + " " + path, r);
        }
        String text = r.body();
        return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    }

    private static EcsApiException error(String call, HttpResponse<String> r) {
        int code = 0;
        String description = null;
        boolean retryable = false;
        try {
            JsonNode body = JSON.readTree(r.body());
            code = body.path("code").asInt(0);
            retryable = body.path("retryable").asBoolean(false);
            description = body.path("description").asText(null);
            String details = body.path("details").asText("");
            if (!details.isBlank()) {
                description = (description == null ? "" : description + ": ") + details;
            }
        } catch (IOException | RuntimeException e) {
            // not ECS's JSON error shape: the status says enough
        }
        return new EcsApiException(call, r.statusCode(), code, retryable, description);
    }

    /** Is anything listening on the API's port yet? Distinguishes "not alive" from "alive but not ready". */
    boolean portOpen() {
        return portOpen.getAsBoolean();
    }

    /** Is anything listening at this address? For an API reached directly, not through SSH. */
    static boolean listening(URI endpoint) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 3000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
