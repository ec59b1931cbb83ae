package dev.rigger.controller.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.security.Secret;
import dev.rigger.protocol.ProtocolJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** The CLI's way to a running {@code rigger serve} of the same state directory. */
public final class ServeClient {
    private final ServeEndpoint endpoint;
    private final Secret token;

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
        HttpURLConnection c = open(path);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(ProtocolJson.MAPPER.writeValueAsBytes(body));
        }
        return answer(c);
    }

    /** Follows a run's Server-Sent Events to their end, handing each event's JSON to {@code data}. */
    public void events(String runId, java.util.function.Consumer<String> data) throws IOException {
        HttpURLConnection c = open("/api/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "/events");
        c.setReadTimeout(0);
        if (c.getResponseCode() != 200) {
            throw new IOException(endpoint.baseUrl() + ": the run's events answered HTTP " + c.getResponseCode());
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("data: ")) {
                    data.accept(line.substring(6));
                }
            }
        }
    }

    public Answer facts(String host, boolean refresh) throws IOException {
        return get("/api/hosts/" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "/facts" + (refresh ? "?refresh=true" : ""));
    }

    public Answer get(String path) throws IOException {
        return answer(open(path));
    }

    /**
     * Plain {@code HttpURLConnection} to a loopback server: unlike the JDK's HttpClient it sets up no TLS and no
     * selector thread, which is a good part of a one-shot CLI's start.
     */
    private HttpURLConnection open(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint.baseUrl() + path).toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(90_000);
        c.setRequestProperty("Authorization", "Bearer " + token.reveal());
        c.setRequestProperty("Accept", "application/json");
        return c;
    }

    private static Answer answer(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
        byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
        return new Answer(status, bytes.length == 0 ? ProtocolJson.MAPPER.createObjectNode() : ProtocolJson.MAPPER.readTree(bytes));
    }
}
