package dev.rigger.ecssim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The object-prep steps as rigger (and ecsconfig) make them, each asserting ECS's answer. */
final class ObjectPrep {
    private final EcsClient client;

    ObjectPrep(EcsClient client) {
        this.client = client;
    }

    void license() throws Exception {
        EcsClient.Answer posted = client.post("/license.json", Map.of("license_text",
                "INCREMENT ViPR_Unstructured EMCLM 2.0 permanent uncounted VENDOR_STRING=CAPACITY=300 SIGN=0\n"));
        assertThat(posted.status()).as("POST /license.json: %s", posted.text()).isEqualTo(200);
    }

    String storagePool(String name) throws Exception {
        EcsClient.Answer pool = client.post("/vdc/data-services/varrays", Map.of("name", name,
                "description", name, "isProtected", false, "isColdStorageEnabled", false));
        assertThat(pool.status()).as("POST varrays: %s", pool.text()).isEqualTo(200);
        assertThat(pool.json().path("id").asText()).startsWith("urn:storageos:VirtualArray:");
        return pool.json().path("id").asText();
    }

    /** One data store per node, each task polled to ready, then each store polled to readytouse. */
    List<String> dataStoresOnEveryNode(String pool) throws Exception {
        JsonNode nodes = client.get("/vdc/nodes").json().path("node");
        List<String> storeIds = new ArrayList<>();
        List<String> taskLinks = new ArrayList<>();
        for (JsonNode node : nodes) {
            EcsClient.Answer created = client.post("/vdc/data-stores/commodity", Map.of("nodes", List.of(Map.of(
                    "nodeId", node.path("nodeid").asText(), "name", node.path("ip").asText(),
                    "virtual_array", pool, "description", "data store of " + node.path("ip").asText()))));
            assertThat(created.status()).as("POST data-stores: %s", created.text()).isEqualTo(202);
            JsonNode task = created.json().path("task").get(0);
            assertThat(task.path("state").asText()).isEqualTo("pending");
            storeIds.add(task.path("resource").path("id").asText());
            taskLinks.add(task.path("link").path("href").asText());
        }
        for (String link : taskLinks) {
            await("task " + link, () -> client.get(link).json().path("state").asText().equals("ready"));
        }
        for (String id : storeIds) {
            await("data store " + id, () -> client.get("/vdc/data-stores/commodity/" + id).json()
                    .path("device_state").asText().equals("readytouse"));
        }
        return storeIds;
    }

    String vdc(String name) throws Exception {
        String key = client.get("/object/vdcs/vdc/local/secretkey").json().path("key").asText();
        assertThat(key).as("VDC secret key").isNotBlank();
        String endpoints = String.join(",", EcsHostLayout.SEEDS);
        EcsClient.Answer put = client.put("/object/vdcs/vdc/" + name, Map.of("vdcName", name,
                "interVdcEndPoints", endpoints, "interVdcCmdEndPoints", endpoints,
                "managementEndPoints", endpoints, "secretKeys", key));
        assertThat(put.status()).as("PUT vdc: %s", put.text()).isEqualTo(200);
        JsonNode vdc = client.get("/object/vdcs/vdc/" + name).json();
        assertThat(vdc.path("permanentlyFailed").asBoolean()).isFalse();
        assertThat(vdc.path("inactive").asBoolean()).isFalse();
        assertThat(vdc.path("local").asBoolean()).as("a VDC of this node's seeds is local").isTrue();
        return vdc.path("id").asText();
    }

    String replicationGroup(String name, String vdcId, String pool) throws Exception {
        EcsClient.Answer rg = client.post("/vdc/data-service/vpools", Map.of("name", name, "description", name,
                "isAllowAllNamespaces", true, "enable_rebalancing", true, "isFullRep", false,
                "zone_mappings", List.of(Map.of("name", vdcId, "value", pool))));
        assertThat(rg.status()).as("POST vpools: %s", rg.text()).isEqualTo(200);
        assertThat(rg.json().path("id").asText()).startsWith("urn:storageos:ReplicationGroupInfo:").endsWith(":global");
        return rg.json().path("id").asText();
    }

    EcsClient.Answer namespace(String name, String rg) throws Exception {
        return client.post("/object/namespaces/namespace", Map.of("namespace", name,
                "default_data_services_vpool", rg, "allowed_vpools_list", List.of(),
                "disallowed_vpools_list", List.of(), "namespace_admins", "root"));
    }

    EcsClient.Answer user(String uid, String namespace) throws Exception {
        return client.post("/object/users", Map.of("user", uid, "namespace", namespace));
    }

    EcsClient.Answer secretKey(String uid, String namespace) throws Exception {
        return client.post("/object/user-secret-keys/" + uid, Map.of("namespace", namespace));
    }

    interface Check {
        boolean passes() throws Exception;
    }

    /** Polls like a client does; the timeout only bounds a broken run, it is not what the test measures. */
    static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.passes()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " never got there");
            }
            Thread.sleep(200);
        }
    }
}
