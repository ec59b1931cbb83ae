package dev.rigger.controller.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.security.Secret;
import dev.rigger.protocol.ProtocolJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;

/**
 * The CLI's way to a running {@code rigger serve} of the same state directory. The token is sent only to a
 * server that first proved it knows it ({@link ServeProof}), so a program squatting the port named in
 * {@code serve.json} learns nothing.
 */
public final class ServeClient {
    private final ServeEndpoint endpoint;
    private final Secret token;
    private final PinnedCertificate pinned;

    /** An answer: the HTTP status and the JSON body. */
    public record Answer(int status, JsonNode body) {
        public String error() {
            return body.path("error").asText("HTTP " + status);
        }
    }

    /** What listens where serve.json points is not this state's server; nothing was sent to it but a challenge. */
    public static final class UnprovenServerException extends IOException {
        UnprovenServerException(String message) {
            super(message);
        }
    }

    private ServeClient(ServeEndpoint endpoint, Secret token) {
        this.endpoint = endpoint;
        this.token = token;
        this.pinned = endpoint.tlsFingerprint() == null ? null : new PinnedCertificate(endpoint.tlsFingerprint());
    }

    /**
     * A client when a server of {@code stateDir} runs, its token is readable and it proved it knows the token;
     * empty when there is no server (no serve.json, its process gone, or nothing listening on its port).
     *
     * @throws UnprovenServerException when something answers on the port but does not prove it is this state's server
     */
    public static Optional<ServeClient> find(Path stateDir) throws UnprovenServerException {
        Optional<ServeEndpoint> endpoint = ServeEndpoint.running(stateDir);
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        Optional<Secret> token = ServeToken.read(stateDir);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        ServeClient client = new ServeClient(endpoint.get(), token.get());
        return client.proven(stateDir) ? Optional.of(client) : Optional.empty();
    }

    /**
     * Asks the server to answer a fresh challenge, without the token. False when nothing listens (a server
     * that died and whose pid was taken by another process).
     */
    private boolean proven(Path stateDir) throws UnprovenServerException {
        if (endpoint.nonce() == null || !ServeProof.wellFormed(endpoint.nonce())) {
            throw unproven(stateDir, ServeEndpoint.file(stateDir) + " names no nonce to check the server against"
                    + " (written by an older rigger serve: restart it)");
        }
        String challenge = ServeProof.random();
        JsonNode body;
        try {
            HttpURLConnection c = open("/api/proof?challenge=" + challenge, false);
            if (c.getResponseCode() != 200) {
                throw unproven(stateDir, "it answered the challenge with HTTP " + c.getResponseCode());
            }
            try (InputStream in = c.getInputStream()) {
                // a proof is a line of hex: whatever else a squatter sends is not read on
                body = ProtocolJson.MAPPER.readTree(in.readNBytes(4096));
            } catch (JsonProcessingException e) {
                throw unproven(stateDir, "its answer to the challenge is not a proof");
            }
        } catch (ConnectException e) {
            return false;
        } catch (UnprovenServerException e) {
            throw e;
        } catch (IOException e) {
            throw unproven(stateDir, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        ServeProof expected = new ServeProof(token, endpoint.nonce());
        if (body == null || !expected.accepts(endpoint.bind(), endpoint.port(), challenge, body.path("proof").asText(null))) {
            throw unproven(stateDir, "its answer to the challenge is not made with this state's token");
        }
        return true;
    }

    private UnprovenServerException unproven(Path stateDir, String why) {
        return new UnprovenServerException(endpoint.baseUrl() + " did not prove it is the rigger serve of " + stateDir
                + " (" + why + "); the API token was not sent. " + ServeEndpoint.file(stateDir) + " says pid "
                + endpoint.pid() + " serves there: if that process is not rigger serve, another program holds the port;"
                + " stop it, or remove " + ServeEndpoint.file(stateDir) + " if no rigger serve of this state runs");
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
    public void events(String runId, Consumer<String> data) throws IOException {
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

    private HttpURLConnection open(String path) throws IOException {
        return open(path, true);
    }

    /**
     * Plain {@code HttpURLConnection}: unlike the JDK's HttpClient it starts no selector thread, which is a good
     * part of a one-shot CLI's start. Over TLS it trusts only the certificate serve.json pins.
     */
    private HttpURLConnection open(String path, boolean withToken) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint.baseUrl() + path).toURL().openConnection();
        if (c instanceof HttpsURLConnection https && pinned != null) {
            https.setSSLSocketFactory(pinned.socketFactory());
            https.setHostnameVerifier(pinned.hostnameVerifier());
        }
        // a redirect would carry the token to wherever it points
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(2000);
        c.setReadTimeout(withToken ? 90_000 : 5000);
        if (withToken) {
            c.setRequestProperty("Authorization", "Bearer " + token.reveal());
        }
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
