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

    public Answer facts(String host, boolean refresh) throws IOException {
        return get("/api/hosts/" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "/facts" + (refresh ? "?refresh=true" : ""));
    }

    public Answer get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
                .header("Authorization", "Bearer " + token.reveal()).timeout(Duration.ofSeconds(90)).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), ProtocolJson.MAPPER.readTree(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + endpoint.baseUrl());
        }
    }
}
