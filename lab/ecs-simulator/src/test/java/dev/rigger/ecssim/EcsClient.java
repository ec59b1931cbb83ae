package dev.rigger.ecssim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A management-API client that trusts exactly the simulator's self-signed certificate (read from its
 * keystore) and verifies the host name against it, as a careful rigger client would.
 */
final class EcsClient {
    static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, JsonNode json, String text, HttpResponse<String> raw) {
    }

    private final HttpClient http;
    private final String base;
    private String token;

    EcsClient(Path keystore, int port) throws IOException, GeneralSecurityException {
        KeyStore stored = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            stored.load(in, "changeit".toCharArray());
        }
        Certificate certificate = stored.getCertificate("ecssim");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ecssim", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        this.base = "https://localhost:" + port;
    }

    Answer login(String user, String password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Answer answer = send(HttpRequest.newBuilder(URI.create(base + "/login.json"))
                .header("Authorization", "Basic " + basic).GET());
        answer.raw().headers().firstValue("X-SDS-AUTH-TOKEN").ifPresent(t -> token = t);
        return answer;
    }

    /** {@code GET /login} as the seed's curl sends it: no .json suffix, no Accept header. */
    Answer loginPlain(String user, String password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Authorization", "Basic " + basic).GET());
    }

    void useToken(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(authorized(path).GET());
    }

    Answer post(String path, Object body) throws IOException, InterruptedException {
        return send(authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    Answer postRaw(String path, String contentType, String body) throws IOException, InterruptedException {
        return send(authorized(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer put(String path, Object body) throws IOException, InterruptedException {
        return send(authorized(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    Answer send(String method, String path) throws IOException, InterruptedException {
        return send(authorized(path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder authorized(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("X-SDS-AUTH-TOKEN", token);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        JsonNode json = null;
        if (text != null && text.startsWith("{")) {
            json = JSON.readTree(text);
        }
        return new Answer(response.statusCode(), json, text, response);
    }
}
