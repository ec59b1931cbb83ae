package dev.rigger.controller.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The API as a script would call it, beside the browser: the port and token come from the files a running
 * server leaves in its state directory ({@code serve.json}, {@code serve.token}).
 */
final class BrowserApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, JsonNode body) {
    }

    private BrowserApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    static BrowserApiClient of(Path stateDir) throws IOException {
        JsonNode endpoint = JSON.readTree(Files.readString(stateDir.resolve("serve.json")));
        String token = Files.readString(stateDir.resolve("serve.token"), StandardCharsets.UTF_8).strip();
        return new BrowserApiClient("http://127.0.0.1:" + endpoint.path("port").asInt(), token);
    }

    /** The link {@code rigger serve} prints: the token rides in the fragment, which is never sent. */
    String dashboardLink() {
        return baseUrl + "/#token=" + token;
    }

    Answer get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    Answer post(String path, Object body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    }

    /** GET that must answer 200. */
    JsonNode read(String path) throws IOException {
        Answer a = get(path);
        if (a.status() != 200) {
            throw new AssertionError("GET " + path + ": expected 200, got " + a.status() + " " + a.body());
        }
        return a.body();
    }

    /** Polls GET /api/runs/{id} until {@code done} holds, up to {@code timeout}. */
    JsonNode awaitRun(String id, Predicate<JsonNode> done, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run = read("/api/runs/" + id);
        while (!done.test(run)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " did not get there in " + timeout + "; last seen: " + run);
            }
            Thread.sleep(250);
            run = read("/api/runs/" + id);
        }
        return run;
    }

    private Answer send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(response.statusCode(), body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + baseUrl, e);
        }
    }
}
