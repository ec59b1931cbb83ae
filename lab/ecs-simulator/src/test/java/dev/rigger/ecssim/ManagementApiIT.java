package dev.rigger.ecssim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the management API answers mistakes, duplicates and missing credentials, with ECS's error shape. */
class ManagementApiIT {
    private static SimulatorFixture fixture;

    @BeforeAll
    static void boot() throws Exception {
        fixture = SimulatorFixture.boot(Map.of("ECSSIM_ROOT_PASSWORD", "Lab-Secret-42"));
    }

    @AfterAll
    static void shutDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static EcsClient admin() throws Exception {
        EcsClient client = fixture.client();
        assertThat(client.login("root", "Lab-Secret-42").status()).isEqualTo(200);
        return client;
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void assertError(EcsClient.Answer answer, int status, int code) {
        assertThat(answer.status()).as("status of %s", answer.text()).isEqualTo(status);
        assertThat(answer.json()).as("ECS error body").isNotNull();
        assertThat(answer.json().path("code").asInt()).as("code of %s", answer.text()).isEqualTo(code);
        assertThat(answer.json().has("retryable")).isTrue();
        assertThat(answer.json().path("description").asText()).isNotBlank();
        assertThat(answer.json().path("details").asText()).isNotBlank();
    }

    /** A replication group on its own pool, in VDC vdc1 (the PUT is an upsert, so every test may make it). */
    private static String replicationGroup(ObjectPrep prep) throws Exception {
        String pool = prep.storagePool(unique("sp-"));
        return prep.replicationGroup(unique("rg-"), prep.vdc("vdc1"), pool);
    }

    @Test
    void answersAPlainLoginWithEcsXmlBodyAndATokenHeader() throws Exception {
        EcsClient.Answer login = fixture.client().loginPlain("root", "Lab-Secret-42");

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text()).contains("<loggedIn><user>root</user></loggedIn>");
        assertThat(login.raw().headers().firstValue("X-SDS-AUTH-TOKEN")).isPresent();
    }

    @Test
    void refusesALoginWithAWrongPassword() throws Exception {
        EcsClient client = fixture.client();
        EcsClient.Answer login = client.login("root", "ChangeMe");

        assertError(login, 401, 4000);
        assertThat(login.raw().headers().firstValue("X-SDS-AUTH-TOKEN")).isEmpty();
    }

    @Test
    void rejectsCallsWithoutATokenOrWithAWrongOne() throws Exception {
        EcsClient client = fixture.client();
        assertError(client.get("/vdc/nodes"), 401, 4000);
        assertError(client.get("/ecssim/state"), 401, 4000);

        client.useToken("BAAcNotAToken");
        assertError(client.get("/user/whoami"), 401, 4000);
    }

    @Test
    void forgetsATokenAtLogout() throws Exception {
        EcsClient client = admin();
        assertThat(client.get("/logout").json().path("user").asText()).isEqualTo("root");

        assertError(client.get("/user/whoami"), 401, 4000);
    }

    @Test
    void answersAnUnknownPathWith404AndAWrongMethodWith405() throws Exception {
        EcsClient client = admin();

        assertError(client.get("/object/buckets/nothing-here"), 404, 2000);
        assertError(client.send("DELETE", "/vdc/nodes"), 405, 1007);
        assertError(client.get("/vdc/data-services/varrays/urn:storageos:VirtualArray:none"), 404, 2000);
    }

    @Test
    void refusesADuplicateNamespaceWith1015() throws Exception {
        EcsClient client = admin();
        ObjectPrep prep = new ObjectPrep(client);
        String rg = replicationGroup(prep);
        String name = unique("ns");
        assertThat(prep.namespace(name, rg).status()).isEqualTo(200);

        assertError(prep.namespace(name, rg), 400, 1015);
        assertThat(client.get("/object/namespaces").json().path("namespace").findValuesAsText("name"))
                .containsOnlyOnce(name);
    }

    @Test
    void refusesANamespaceWithADotInItsName() throws Exception {
        ObjectPrep prep = new ObjectPrep(admin());

        assertError(prep.namespace("ns.one", replicationGroup(prep)), 400, 1008);
    }

    @Test
    void refusesADuplicateStoragePoolWith1008() throws Exception {
        EcsClient client = admin();
        String name = unique("sp-");
        new ObjectPrep(client).storagePool(name);

        EcsClient.Answer again = client.post("/vdc/data-services/varrays", Map.of("name", name));

        assertError(again, 400, 1008);
        assertThat(again.json().path("details").asText()).isEqualTo("Duplicate found: " + name);
    }

    @Test
    void refusesADuplicateReplicationGroupWith1008() throws Exception {
        EcsClient client = admin();
        ObjectPrep prep = new ObjectPrep(client);
        String pool = prep.storagePool(unique("sp-"));
        String vdc = prep.vdc("vdc1");
        String name = unique("rg-");
        prep.replicationGroup(name, vdc, pool);

        assertError(client.post("/vdc/data-service/vpools", Map.of("name", name,
                "zone_mappings", List.of(Map.of("name", vdc, "value", pool)))), 400, 1008);
    }

    @Test
    void refusesADuplicateObjectUserWith1015() throws Exception {
        ObjectPrep prep = new ObjectPrep(admin());
        String ns = unique("ns");
        prep.namespace(ns, replicationGroup(prep));
        String uid = unique("user-");
        assertThat(prep.user(uid, ns).status()).isEqualTo(200);

        assertError(prep.user(uid, ns), 400, 1015);
    }

    @Test
    void refusesAMissingRequiredFieldWith1005NamingIt() throws Exception {
        EcsClient.Answer answer = admin().post("/vdc/data-services/varrays", Map.of("description", "no name"));

        assertError(answer, 400, 1005);
        assertThat(answer.json().path("details").asText()).isEqualTo("name");
    }

    @Test
    void refusesToRegisterANodeTwiceOrAnUnknownNodeWith1013() throws Exception {
        EcsClient client = admin();
        String pool = new ObjectPrep(client).storagePool(unique("sp-"));
        String nodeId = client.get("/vdc/nodes").json().path("node").get(2).path("nodeid").asText();
        Map<String, String> entry = Map.of("nodeId", nodeId, "name", "n3", "virtual_array", pool);

        assertError(client.post("/vdc/data-stores/commodity", Map.of("nodes", List.of(entry, entry))), 400, 1013);
        assertError(client.post("/vdc/data-stores/commodity", Map.of("nodes", List.of(Map.of(
                "nodeId", "luna.example.com", "name", "n1", "virtual_array", pool)))), 400, 1013);
        assertThat(client.get("/vdc/data-stores").json().path("data_store")).as("nothing was registered").isEmpty();
    }

    @Test
    void keepsTheFirstSecretKeyWhenASecondIsMadeAndRefusesAThird() throws Exception {
        EcsClient client = admin();
        ObjectPrep prep = new ObjectPrep(client);
        String ns = unique("ns");
        prep.namespace(ns, replicationGroup(prep));
        String uid = unique("user-");
        prep.user(uid, ns);
        assertThat(client.get("/object/user-secret-keys/" + uid).json().path("secret_key_1").asText())
                .as("no key before the first POST").isEmpty();

        String first = prep.secretKey(uid, ns).json().path("secret_key").asText();
        EcsClient.Answer second = client.post("/object/user-secret-keys/" + uid,
                Map.of("namespace", ns, "existing_key_expiry_time_mins", 20000));
        JsonNode keys = client.get("/object/user-secret-keys/" + uid + "/" + ns).json();

        assertThat(first).hasSize(40).matches("[A-Za-z0-9]+");
        assertThat(second.json().path("secret_key").asText()).hasSize(40).isNotEqualTo(first);
        assertThat(keys.path("secret_key_1").asText()).isEqualTo(first);
        assertThat(keys.path("secret_key_2").asText()).isEqualTo(second.json().path("secret_key").asText());
        assertThat(keys.path("key_expiry_timestamp_1").asText()).as("key 1 now expires").isNotBlank();
        assertError(prep.secretKey(uid, ns), 400, 1008);
    }

    @Test
    void takesAGivenSecretKeyAsItIs() throws Exception {
        EcsClient client = admin();
        ObjectPrep prep = new ObjectPrep(client);
        String ns = unique("ns");
        prep.namespace(ns, replicationGroup(prep));
        String uid = unique("user-");
        prep.user(uid, ns);
        String given = "0123456789abcdefghij0123456789ABCDEFGHIJ";

        assertThat(client.post("/object/user-secret-keys/" + uid, Map.of("secretkey", given)).json()
                .path("secret_key").asText()).isEqualTo(given);
    }

    @Test
    void acceptsTheSeedsXmlLicense() throws Exception {
        EcsClient client = admin();
        String xml = "<license><license_text><![CDATA[INCREMENT ViPR_Object EMCLM 2.0 permanent uncounted\n]]>"
                + "</license_text></license>";
        EcsClient.Answer answer = client.postRaw("/license", "application/xml", xml);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(client.get("/license").json().path("license_text").asText())
                .isEqualTo("INCREMENT ViPR_Object EMCLM 2.0 permanent uncounted\n");
    }

    @Test
    void servesDtStatusOverPlainHttpWithoutAuth() throws Exception {
        HttpResponse<String> dt = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.simulator.dtPort + "/stats/dt/DTInitStat")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(dt.statusCode()).isEqualTo(200);
        assertThat(dt.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(dt.body()).contains("<entry><total_dt_num>384</total_dt_num><unready_dt_num>0</unready_dt_num>"
                + "<unknown_dt_num>0</unknown_dt_num></entry>");
    }

    @Test
    void logsEachRequestWithoutPasswordsTokensOrKeys() throws Exception {
        EcsClient client = admin();
        ObjectPrep prep = new ObjectPrep(client);
        String ns = unique("ns");
        prep.namespace(ns, replicationGroup(prep));
        String uid = unique("user-");
        prep.user(uid, ns);
        String key = prep.secretKey(uid, ns).json().path("secret_key").asText();

        String log = fixture.simulator.output();

        assertThat(log).contains("request GET /login.json 200", "request POST /object/user-secret-keys/" + uid + " 200")
                .doesNotContain("Lab-Secret-42", client.token(), key);
    }
}
