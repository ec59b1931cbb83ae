package dev.rigger.controller.modules.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.protocol.facts.FactShapes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What object prep found in ECS, and what its steps have made since (they fill in the ids they create,
 * so later steps can refer to them). The secret key is held only to compare and write it.
 */
final class EcsObjects {
    private boolean licensed;
    private String storagePoolId;
    private final List<String> nodeIps = new ArrayList<>();
    private final Map<String, String> nodeIdsByIp = new LinkedHashMap<>();
    private final Map<String, String> storesByName = new LinkedHashMap<>();
    private String vdcId;
    private String replicationGroupId;
    private boolean namespaceExists;
    private boolean userExists;
    private String secretKey;

    static EcsObjects observe(EcsClient api, EcsArgs a) throws IOException, InterruptedException {
        EcsObjects o = new EcsObjects();
        JsonNode license = api.get("/license");
        // the text ECS holds is what was posted; without it, any licensed feature counts
        o.licensed = license.hasNonNull("license_text")
                ? a.licenseText().strip().equals(license.get("license_text").asText().strip())
                : license.path("license_feature").size() > 0;
        o.storagePoolId = idByName(api.get("/vdc/data-services/varrays").path("varray"), a.storagePool());
        for (JsonNode n : api.get("/vdc/nodes").path("node")) {
            o.nodeIdsByIp.put(n.path("ip").asText(), n.path("nodeid").asText());
        }
        o.nodeIps.addAll(a.nodes().isEmpty() ? o.nodeIdsByIp.keySet() : a.nodes());
        checkAddresses(o.nodeIps, a.nodes().isEmpty() ? "ECS's node list" : "args.nodes");
        for (JsonNode s : api.get("/vdc/data-stores").path("data_store")) {
            o.storesByName.put(s.path("name").asText(), s.path("id").asText());
        }
        JsonNode vdc = api.find("/object/vdcs/vdc/" + a.vdc());
        o.vdcId = vdc == null ? null : vdc.path("id").asText(vdc.path("vdcId").asText(null));
        o.replicationGroupId = idByName(api.get("/vdc/data-service/vpools").path("data_service_vpool"), a.replicationGroup());
        o.namespaceExists = api.find("/object/namespaces/namespace/" + a.namespace()) != null;
        o.userExists = api.find("/object/users/" + a.objectUser() + "/info?namespace=" + a.namespace()) != null;
        if (o.userExists) {
            JsonNode keys = api.find("/object/user-secret-keys/" + a.objectUser());
            String key = keys == null ? "" : keys.path("secret_key_1").asText("");
            o.secretKey = key.isBlank() ? null : key;
        }
        return o;
    }

    /** Node addresses are joined with commas into the VDC's endpoints and name the data stores: IP literals only. */
    static void checkAddresses(List<String> ips, String source) {
        for (String ip : ips) {
            if (!FactShapes.isIpAddress(ip)) {
                throw new IllegalArgumentException("node address " + FactShapes.quote(ip) + " (from " + source
                        + ") is not an IP address");
            }
        }
    }

    private static String idByName(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (name.equals(item.path("name").asText())) {
                return item.path("id").asText();
            }
        }
        return null;
    }

    /** S3 goes to the first data node (reference §1.4: 9020 http). */
    String s3Endpoint(EcsArgs a) {
        return "http://" + (nodeIps.isEmpty() ? a.endpoint().getHost() : nodeIps.get(0)) + ":" + a.s3Port();
    }

    String describe(EcsArgs a) {
        return "license, storage pool " + a.storagePool() + ", " + storesByName.size() + " data stores, VDC " + a.vdc()
                + ", replication group " + a.replicationGroup() + ", namespace " + a.namespace() + ", user "
                + a.objectUser() + " with a secret key";
    }

    boolean licensed() { return licensed; }
    void licensed(boolean v) { licensed = v; }
    String storagePoolId() { return storagePoolId; }
    void storagePoolId(String v) { storagePoolId = v; }
    List<String> nodeIps() { return nodeIps; }
    Map<String, String> nodeIdsByIp() { return nodeIdsByIp; }
    Map<String, String> storesByName() { return storesByName; }
    String vdcId() { return vdcId; }
    void vdcId(String v) { vdcId = v; }
    String replicationGroupId() { return replicationGroupId; }
    void replicationGroupId(String v) { replicationGroupId = v; }
    boolean namespaceExists() { return namespaceExists; }
    void namespaceExists(boolean v) { namespaceExists = v; }
    boolean userExists() { return userExists; }
    void userExists(boolean v) { userExists = v; }
    String secretKey() { return secretKey; }
    void secretKey(String v) { secretKey = v; }
}
