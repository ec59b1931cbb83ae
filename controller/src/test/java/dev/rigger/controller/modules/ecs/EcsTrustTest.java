package dev.rigger.controller.modules.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rigger.controller.security.Secret;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management API client trusts exactly the pinned certificate, and sends nothing to any other. */
class EcsTrustTest {
    @TempDir
    Path dir;

    private HttpsServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private X509Certificate served;
    private X509Certificate other;

    @BeforeEach
    void serveWithASelfSignedCertificate() throws Exception {
        KeyStore ecs = keystore("ecs");
        served = (X509Certificate) ecs.getCertificate("ecs");
        other = (X509Certificate) keystore("mitm").getCertificate("mitm");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(ecs, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add(EcsClient.TOKEN_HEADER, "BAActoken");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI endpoint() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void theServersOwnCertificateIsTrusted() throws Exception {
        EcsClient api = new EcsClient(endpoint(), EcsTrust.pinned(source(served)), () -> true);

        api.login("root", Secret.of("Secret-1"));

        assertThat(requests).hasValue(1);
    }

    @Test
    void anotherCertificateIsRefusedBeforeTheLoginIsSent() {
        EcsClient api = new EcsClient(endpoint(), EcsTrust.pinned(source(other)), () -> true);

        assertThatThrownBy(() -> api.login("root", Secret.of("Secret-1")))
                .hasStackTraceContaining("not ECS's own").hasStackTraceContaining(EcsTrust.fingerprint(served));
        assertThat(requests).as("no request reached the server").hasValue(0);
    }

    @Test
    void aCertificateThatCannotBeReadYetIsNotAMismatch() {
        EcsTrust.Source missing = new EcsTrust.Source() {
            @Override
            public X509Certificate read() throws Exception {
                throw new IOException("no /etc/ecssim/management.pem in container ecs-storageos (yet)");
            }

            @Override
            public String describe() {
                return "ecs-storageos:/etc/ecssim/management.pem";
            }
        };
        EcsClient api = new EcsClient(endpoint(), EcsTrust.pinned(missing), () -> true);

        assertThatThrownBy(() -> api.login("root", Secret.of("Secret-1"))).hasStackTraceContaining("yet")
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(t).isNotInstanceOf(EcsTrust.MismatchException.class);
                    }
                });
        assertThat(requests).hasValue(0);
    }

    @Test
    void theFirstFileOfADockerTarStreamIsRead() throws Exception {
        Path pem = dir.resolve("management.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Process tar = new ProcessBuilder("tar", "-C", dir.toString(), "--format=pax", "-cf", "-", "management.pem").start();
        byte[] stream;
        try (InputStream out = tar.getInputStream()) {
            stream = out.readAllBytes();
        }
        assertThat(tar.waitFor()).isZero();

        assertThat(EcsCertificate.firstEntry(new ByteArrayInputStream(stream))).isEqualTo(Files.readAllBytes(pem));
        assertThatThrownBy(() -> EcsCertificate.firstEntry(new ByteArrayInputStream(new byte[1024])))
                .hasMessageContaining("ended before a file");
    }

    private static EcsTrust.Source source(X509Certificate c) {
        return new EcsTrust.Source() {
            @Override
            public X509Certificate read() {
                return c;
            }

            @Override
            public String describe() {
                return "the test's pin";
            }
        };
    }

    private KeyStore keystore(String alias) throws Exception {
        Path file = dir.resolve(alias + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", alias, "-dname", "CN=" + alias, "-keyalg", "EC", "-validity", "2")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(out).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }
}
