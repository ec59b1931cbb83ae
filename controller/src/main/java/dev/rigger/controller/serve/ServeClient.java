package dev.rigger.controller.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.security.Secret;
import dev.rigger.protocol.ProtocolJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The CLI's way to a running {@code rigger serve} of the same state directory. */
public final class ServeClient {
    private final ServeEndpoint endpoint;
    private final Secret token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** An answer: the HTTP status and the JSON body. */
    public record Answer(int status, JsonNode body) {
        public String error() {
            return body.path("error").asText("HTTP " + status);
        }
    }

    private ServeClient(ServeEndpoint endpoint, Secret token) {
        this.endpoint = endpoint;
        this.token = token;
    }

    /** A client when a server of {@code stateDir} runs and its token is readable; empty otherwise. */
    public static Optional<ServeClient> find(Path stateDir) {
        Optional<ServeEndpoint> endpoint = ServeEndpoint.running(stateDir);
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        return ServeToken.read(stateDir).map(t -> new ServeClient(endpoint.get(), t));
    }

    public String url() {
        return endpoint.baseUrl();
    }

    /**
     * The playbook's name as this server knows it, when the server may run it for a CLI of {@code inventoryId}:
     * it lies under the server's playbooks directory and the server uses the same inventory.
     */
    public Optional<String> playbookName(Path playbook, String inventoryId) {
        if (endpoint.playbooksDir() == null || endpoint.inventoryId() == null || !endpoint.inventoryId().equals(inventoryId)) {
            return Optional.empty();
        }
        Path dir = Path.of(endpoint.playbooksDir());
        Path file = playbook.toAbsolutePath().normalize();
        return file.startsWith(dir) ? Optional.of(dir.relativize(file).toString()) : Optional.empty();
    }

    public Answer post(String path, Object body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
                .header("Authorization", "Bearer " + token.reveal()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.MAPPER.writeValueAsBytes(body))).build();
        return send(request);
    }

    /** Follows a run's Server-Sent Events to their end, handing each event's JSON to {@code data}. */
    public void events(String runId, java.util.function.Consumer<String> data) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/api/runs/"
                        + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "/events"))
                .header("Authorization", "Bearer " + token.reveal()).GET().build();
        try {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IOException(endpoint.baseUrl() + ": the run's events answered HTTP " + response.statusCode());
            }
            try (java.util.stream.Stream<String> lines = response.body()) {
                lines.filter(l -> l.startsWith("data: ")).forEach(l -> data.accept(l.substring(6)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while following run " + runId);
        }
    }

    public Answer facts(String host, boolean refresh) throws IOException {
        return get("/api/hosts/" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "/facts" + (refresh ? "?refresh=true" : ""));
    }

    public Answer get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
                .header("Authorization", "Bearer " + token.reveal()).timeout(Duration.ofSeconds(90)).GET().build();
        return send(request);
    }

    private Answer send(HttpRequest request) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), ProtocolJson.MAPPER.readTree(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + endpoint.baseUrl());
        }
    }
}
