package dev.rigger.ecssim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rigger's object-prep sequence against a freshly booted simulator, through a real HTTPS client. */
class ObjectPrepSequenceIT {
    private static SimulatorFixture fixture;

    @BeforeAll
    static void boot() throws Exception {
        fixture = SimulatorFixture.boot(Map.of());
    }

    @AfterAll
    static void shutDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void walksTheObjectPrepSequenceFromLoginToAnS3SecretKey() throws Exception {
        EcsClient client = fixture.loggedIn();
        assertThat(client.token()).as("X-SDS-AUTH-TOKEN header of /login").isNotBlank();
        assertThat(client.get("/user/whoami").json().path("common_name").asText()).isEqualTo("root");
        ObjectPrep prep = new ObjectPrep(client);

        prep.license();
        assertThat(client.get("/license").json().path("license_feature").get(0).path("product").asText())
                .isEqualTo("ViPR_Unstructured");
        String pool = prep.storagePool("sp1");
        JsonNode nodes = client.get("/vdc/nodes").json().path("node");
        assertThat(nodes).hasSize(3);
        assertThat(nodes.findValuesAsText("ip")).containsExactlyElementsOf(EcsHostLayout.SEEDS);
        assertThat(nodes.get(0).path("isLocal").asBoolean()).as("the seed equal to data_ip is local").isTrue();
        assertThat(nodes.get(1).path("isLocal").asBoolean()).isFalse();
        List<String> stores = prep.dataStoresOnEveryNode(pool);
        assertThat(stores).containsExactlyElementsOf(EcsHostLayout.SEEDS);
        String vdc = prep.vdc("vdc1");
        assertThat(client.get("/object/vdcs/vdc/list").json().path("vdc")).hasSize(1);
        String rg = prep.replicationGroup("rg1", vdc, pool);
        EcsClient.Answer namespace = prep.namespace("ns1", rg);
        assertThat(namespace.status()).as("POST namespace: %s", namespace.text()).isEqualTo(200);
        assertThat(client.get("/object/namespaces/namespace/ns1").json().path("default_data_services_vpool").asText())
                .isEqualTo(rg);
        EcsClient.Answer user = prep.user("s3user", "ns1");
        assertThat(user.status()).as("POST user: %s", user.text()).isEqualTo(200);
        assertThat(user.json().path("link").path("href").asText()).isEqualTo("/object/user-secret-keys/s3user");
        assertThat(client.get("/object/users/s3user/info").json().path("namespace").asText()).isEqualTo("ns1");
        EcsClient.Answer key = prep.secretKey("s3user", "ns1");
        assertThat(key.status()).as("POST secret key: %s", key.text()).isEqualTo(200);
        assertThat(key.json().path("secret_key").asText()).hasSize(40);
        assertThat(client.get("/object/user-secret-keys/s3user").json().path("secret_key_1").asText())
                .isEqualTo(key.json().path("secret_key").asText());

        JsonNode state = client.get("/ecssim/state").json();
        assertThat(state.path("licenseText").asText()).startsWith("INCREMENT ViPR_Unstructured");
        assertThat(state.path("storagePools")).hasSize(1);
        assertThat(state.path("dataStores").findValuesAsText("device_state"))
                .containsExactly("readytouse", "readytouse", "readytouse");
        assertThat(state.path("vdcs")).hasSize(1);
        assertThat(state.path("replicationGroups")).hasSize(1);
        assertThat(state.path("namespaces")).hasSize(1);
        assertThat(state.path("users")).hasSize(1);
        assertThat(state.path("secretKeys").path("s3user").path("secret_key_2").asText()).isEmpty();
    }
}
