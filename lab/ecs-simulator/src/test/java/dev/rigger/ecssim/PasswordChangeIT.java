package dev.rigger.ecssim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** root's password changed through the management API, as ECS takes it, and the certificate a client can pin. */
class PasswordChangeIT {
    private SimulatorFixture fixture;

    @AfterEach
    void shutDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void afterAChangeTheDefaultPasswordGets401AndTheNewOneLogsInAlsoAfterARestart() throws Exception {
        fixture = SimulatorFixture.boot(Map.of());
        EcsClient admin = fixture.loggedIn();
        assertThat(admin.get("/vdc/users/root").json().path("isSystemAdmin").asBoolean()).isTrue();

        EcsClient.Answer change = admin.put("/vdc/users/root",
                Map.of("password", "New-Secret-7", "isSystemAdmin", true, "isSystemMonitor", false));

        assertThat(change.status()).as(change.text()).isEqualTo(200);
        assertThat(fixture.client().login("root", "ChangeMe").status()).isEqualTo(401);
        assertThat(fixture.client().login("root", "New-Secret-7").status()).isEqualTo(200);
        assertThat(Files.readString(fixture.layout.path("/data/ecssim/state.json"))).doesNotContain("New-Secret-7");
        assertThat(admin.put("/vdc/users/nobody", Map.of("password", "x")).status()).isEqualTo(404);

        fixture.simulator.close();
        fixture.start(Map.of());

        assertThat(fixture.client().login("root", "ChangeMe").status()).isEqualTo(401);
        assertThat(fixture.client().login("root", "New-Secret-7").status()).isEqualTo(200);
    }

    @Test
    void theCertificateBesideTheKeystoreIsTheOneTheManagementPortPresents() throws Exception {
        fixture = SimulatorFixture.boot(Map.of());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(fixture.layout.path("/data/ecssim/keystore.p12"))) {
            store.load(in, "changeit".toCharArray());
        }
        X509Certificate pem = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(fixture.layout.path("/data/ecssim/management.pem"))));

        assertThat(pem.getEncoded()).isEqualTo(store.getCertificate("ecssim").getEncoded());
    }
}
