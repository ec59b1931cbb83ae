package dev.rigger.controller.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.e2e.CliRun;
import dev.rigger.controller.inventory.Inventory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --bind} to an address other than loopback speaks only HTTPS: without a certificate rigger serve
 * refuses to start; with a self-signed one (made at the first start, kept, pinned in serve.json) the CLI and
 * a client that trusts that certificate work, and a client that trusts only the usual CAs is refused.
 */
class TlsBindTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path stateDir;
    private Path playbooks;
    private RiggerServer server;

    @BeforeEach
    void setUp() throws IOException {
        stateDir = dir.resolve("state");
        playbooks = Files.createDirectory(dir.resolve("playbooks"));
        Files.writeString(playbooks.resolve("prepare-hosts.json"), "{}");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWildcardBindWithoutTlsIsRefusedAndSaysWhatToGive() {
        CliRun run = CliRun.quiet("serve", "--bind", "0.0.0.0", "--port", "0", "--playbooks", playbooks.toString(),
                "--state", stateDir.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("--bind 0.0.0.0 is not a loopback address")
                .contains("--tls-cert FILE --tls-key FILE").contains("--tls-self-signed").doesNotContain("\tat ");
        assertThat(ServeEndpoint.file(stateDir)).doesNotExist();
        assertThatThrownBy(() -> RiggerServer.start(options("0.0.0.0", null)))
                .hasMessageContaining("speaks only HTTPS there");
    }

    @Test
    void halfATlsPairIsRefused() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        CliRun run = CliRun.quiet("serve", "--bind", "0.0.0.0", "--tls-cert", cert.toString(), "--playbooks",
                playbooks.toString(), "--state", stateDir.toString());
        CliRun garbage = CliRun.quiet("serve", "--bind", "0.0.0.0", "--tls-cert", cert.toString(), "--tls-key", cert.toString(),
                "--playbooks", playbooks.toString(), "--state", stateDir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--tls-cert needs --tls-key");
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).contains("--tls-cert: " + cert + ": expected a PEM X.509 certificate");
    }

    @Test
    void aSelfSignedCertificateIsMadeOncePinnedAndServesTheApiAndTheDashboard() throws Exception {
        server = RiggerServer.start(options("0.0.0.0", ServeTls.selfSigned(stateDir, "0.0.0.0")));
        String token = Files.readString(ServeToken.file(stateDir), StandardCharsets.UTF_8).strip();
        String fingerprint = JSON.readTree(ServeEndpoint.file(stateDir).toFile()).path("tlsFingerprint").asText();
        Path cert = ServeTls.selfSignedCert(stateDir);

        assertThat(server.url()).startsWith("https://127.0.0.1:");
        assertThat(fingerprint).matches("[0-9a-f]{64}").isEqualTo(PinnedCertificate.fingerprint(certificate(cert)));
        assertThat(Files.getPosixFilePermissions(ServeTls.selfSignedKey(stateDir)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(ServeTls.selfSignedKey(stateDir))).startsWith("-----BEGIN PRIVATE KEY-----");

        // the CLI's way: proof, then the token, over the pinned certificate
        ServeClient cli = ServeClient.find(stateDir).orElseThrow();
        assertThat(cli.get("/api/runs").status()).isEqualTo(200);

        // a plain HTTPS client that trusts exactly that certificate
        HttpClient pinned = HttpClient.newBuilder().sslContext(trusting(certificate(cert))).build();
        HttpResponse<String> runs = pinned.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/runs"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> page = pinned.send(HttpRequest.newBuilder(URI.create(server.url() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(runs.statusCode()).isEqualTo(200);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("<html");

        // a client that trusts only the usual CAs, and one speaking plain HTTP
        HttpClient unpinned = HttpClient.newHttpClient();
        assertThatThrownBy(() -> unpinned.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/runs"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> unpinned.send(HttpRequest.newBuilder(URI.create(server.url().replace("https:", "http:")
                + "/api/runs")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        // the next start keeps the certificate the CLI and browsers learned
        server.close();
        server = RiggerServer.start(options("0.0.0.0", ServeTls.selfSigned(stateDir, "0.0.0.0")));
        assertThat(JSON.readTree(ServeEndpoint.file(stateDir).toFile()).path("tlsFingerprint").asText()).isEqualTo(fingerprint);
    }

    @Test
    void aGivenCertificateIsServedAndPinnedAndAKeyEveryUserCanReadIsRefused() throws Exception {
        ServeTls made = ServeTls.selfSigned(dir.resolve("elsewhere"), "127.0.0.1");
        Path cert = Files.copy(made.certFile(), dir.resolve("given.crt"));
        Path key = Files.copy(made.keyFile(), dir.resolve("given.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        CliRun open = CliRun.quiet("serve", "--bind", "0.0.0.0", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--playbooks", playbooks.toString(), "--state", stateDir.toString());

        assertThat(open.exitCode()).as(open.err()).isEqualTo(2);
        assertThat(open.err()).contains("--tls-key: " + key + " is readable by every user; chmod o-r " + key);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        server = RiggerServer.start(options("0.0.0.0", ServeTls.of(cert, key)));
        assertThat(JSON.readTree(ServeEndpoint.file(stateDir).toFile()).path("tlsFingerprint").asText())
                .isEqualTo(PinnedCertificate.fingerprint(certificate(cert)));
        assertThat(ServeClient.find(stateDir).orElseThrow().get("/api/hosts").status()).isEqualTo(200);
        assertThat(ServeTls.selfSignedCert(stateDir)).as("nothing self-signed made").doesNotExist();
    }

    @Test
    void theCliRefusesAServerWhoseCertificateIsNotThePinnedOne() throws Exception {
        server = RiggerServer.start(options("127.0.0.1", ServeTls.selfSigned(stateDir, "127.0.0.1")));
        ServeEndpoint real = JSON.readValue(ServeEndpoint.file(stateDir).toFile(), ServeEndpoint.class);
        new ServeEndpoint(real.bind(), real.port(), real.pid(), real.playbooksDir(), real.inventoryId(), real.nonce(),
                "ab".repeat(32)).write(stateDir);

        assertThatThrownBy(() -> ServeClient.find(stateDir)).isInstanceOf(ServeClient.UnprovenServerException.class)
                .hasMessageContaining("is not the one serve.json pins").hasMessageContaining("the API token was not sent");
    }

    private ServeOptions options(String bind, ServeTls tls) {
        return new ServeOptions(new ControllerOptions(stateDir, ControllerOptions.defaultAgentJar(), false, 5, false), bind, 0,
                playbooks, "prepare-hosts.json", Map.of(), () -> new Inventory(List.of()), ServeOptions.DEFAULT_MAX_BODY_BYTES,
                null, tls);
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("serve", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
