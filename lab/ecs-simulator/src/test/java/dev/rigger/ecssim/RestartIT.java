package dev.rigger.ecssim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A restarted container keeps what the API was told, and boots (checks, delay) all over again. */
class RestartIT {
    private SimulatorFixture fixture;

    @AfterEach
    void shutDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void keepsEveryObjectAndItsCertificateAcrossARestart() throws Exception {
        fixture = SimulatorFixture.boot(Map.of());
        EcsClient before = fixture.loggedIn();
        ObjectPrep prep = new ObjectPrep(before);
        prep.license();
        String pool = prep.storagePool("sp1");
        prep.dataStoresOnEveryNode(pool);
        String rg = prep.replicationGroup("rg1", prep.vdc("vdc1"), pool);
        prep.namespace("ns1", rg);
        prep.user("s3user", "ns1");
        prep.secretKey("s3user", "ns1");
        JsonNode stateBefore = before.get("/ecssim/state").json();
        byte[] keystoreBefore = Files.readAllBytes(fixture.layout.path("/data/ecssim/keystore.p12"));

        fixture.simulator.close();
        fixture.start(Map.of("ECSSIM_DT_READY_SEC", "600"));

        assertThat(fixture.simulator.output().lines().findFirst()).hasValue("boot operation begin");
        assertThat(Files.readAllBytes(fixture.layout.path("/data/ecssim/keystore.p12")))
                .as("the generated certificate is kept, not made again").isEqualTo(keystoreBefore);
        EcsClient oldToken = fixture.client();
        oldToken.useToken(before.token());
        assertThat(oldToken.get("/vdc/nodes").status()).as("tokens do not survive a restart").isEqualTo(401);
        EcsClient after = fixture.loggedIn();
        assertThat(after.get("/ecssim/state").json()).isEqualTo(stateBefore);
        assertThat(after.get("/vdc/data-stores/commodity/" + EcsHostLayout.DATA_IP).json().path("device_state")
                .asText()).isEqualTo("readytouse");
        assertThat(after.post("/object/namespaces/namespace", Map.of("namespace", "ns1",
                "default_data_services_vpool", rg)).json().path("code").asInt())
                .as("a namespace made before the restart is still a duplicate").isEqualTo(1015);
        assertThat(Files.getPosixFilePermissions(fixture.layout.path("/data/ecssim/state.json")))
                .as("the state file holds secret keys")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void reportsUnreadyDirectoryTablesRightAfterBoot() throws Exception {
        fixture = SimulatorFixture.boot(Map.of("ECSSIM_DT_READY_SEC", "600"));

        HttpResponse<String> dt = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.simulator.dtPort + "/stats/dt/DTInitStat/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(dt.statusCode()).isEqualTo(200);
        assertThat(dt.body()).contains("<total_dt_num>384</total_dt_num>", "<unknown_dt_num>0</unknown_dt_num>")
                .doesNotContain("<unready_dt_num>0</unready_dt_num>");
    }
}
