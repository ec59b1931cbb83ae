package dev.rigger.controller.modules.ecs;

import static dev.rigger.controller.modules.ecs.EcsModule.body;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.modules.ControllerStep;
import java.util.List;
import java.util.Map;

/** The creating steps of object prep, in ECS's order; each records what it made in {@link EcsObjects}. */
final class EcsSteps {
    private final EcsClient api;
    private final EcsArgs a;
    private final EcsObjects seen;
    private final EcsWaits waits;

    EcsSteps(EcsClient api, EcsArgs a, EcsObjects seen, EcsWaits waits) {
        this.api = api;
        this.a = a;
        this.seen = seen;
        this.waits = waits;
    }

    /**
     * root's password to the wanted one (python-ecsclient's {@code modify_local_user_info}), then a new login
     * with it, which also proves the change. The password travels only in the request body, inside TLS.
     */
    ControllerStep password() {
        return ControllerStep.of("change the management API password of " + a.user(), c -> {
            api.put("/vdc/users/" + a.user(), body("password", a.password().reveal(), "isSystemAdmin", true,
                    "isSystemMonitor", false));
            api.login(a.user(), a.password());
        });
    }

    ControllerStep license() {
        return ControllerStep.of("upload the license", c -> {
            api.post("/license.json", body("license_text", a.licenseText()));
            seen.licensed(true);
        });
    }

    ControllerStep storagePool() {
        return ControllerStep.of("create storage pool " + a.storagePool(), c -> {
            JsonNode pool = api.post("/vdc/data-services/varrays", body("name", a.storagePool(),
                    "description", a.storagePool(), "isProtected", false, "isColdStorageEnabled", false));
            seen.storagePoolId(pool.path("id").asText());
        });
    }

    /** One data store per node, named by its IP as ecsconfig does; waits until its task is done. */
    ControllerStep dataStore(String ip) {
        return ControllerStep.of("create the data store of node " + ip, c -> {
            String nodeId = seen.nodeIdsByIp().get(ip);
            if (nodeId == null) {
                throw new IllegalArgumentException("node " + ip + " is not among the nodes ECS lists: " + seen.nodeIdsByIp().keySet());
            }
            JsonNode tasks = api.post("/vdc/data-stores/commodity", body("nodes", List.of(Map.of("nodeId", nodeId,
                    "name", ip, "virtual_array", seen.storagePoolId(), "description", "data store of " + ip))));
            JsonNode task = tasks.path("task").path(0);
            String storeId = task.path("resource").path("id").asText();
            waits.untilTaskReady("/vdc/data-stores/" + storeId + "/tasks/" + task.path("op_id").asText(),
                    "data store of " + ip);
            seen.storesByName().put(ip, storeId);
        });
    }

    /** Stores become usable some time after their task is done; ECS wants them ready before the VDC. */
    ControllerStep storesReady() {
        return ControllerStep.of("wait until the data stores are ready to use", c -> waits.untilStoresReady(seen));
    }

    ControllerStep vdc() {
        return ControllerStep.of("insert VDC " + a.vdc(), c -> {
            String key = api.get("/object/vdcs/vdc/local/secretkey").path("key").asText();
            String ips = String.join(",", seen.nodeIps());
            api.put("/object/vdcs/vdc/" + a.vdc(), body("vdcName", a.vdc(), "interVdcEndPoints", ips,
                    "interVdcCmdEndPoints", ips, "managementEndPoints", ips, "secretKeys", key));
            JsonNode vdc = api.get("/object/vdcs/vdc/" + a.vdc());
            seen.vdcId(vdc.path("id").asText(vdc.path("vdcId").asText()));
        });
    }

    ControllerStep replicationGroup() {
        return ControllerStep.of("create replication group " + a.replicationGroup(), c -> {
            JsonNode rg = api.post("/vdc/data-service/vpools", body("name", a.replicationGroup(),
                    "description", a.replicationGroup(), "isAllowAllNamespaces", true, "enable_rebalancing", true,
                    "isFullRep", false, "zone_mappings", List.of(Map.of("name", seen.vdcId(), "value", seen.storagePoolId()))));
            seen.replicationGroupId(rg.path("id").asText());
        });
    }

    ControllerStep namespace() {
        return ControllerStep.of("create namespace " + a.namespace(), c -> {
            api.post("/object/namespaces/namespace", body("namespace", a.namespace(),
                    "default_data_services_vpool", seen.replicationGroupId(), "allowed_vpools_list", List.of(),
                    "disallowed_vpools_list", List.of(), "namespace_admins", a.user(), "user_mapping", List.of(),
                    "is_encryption_enabled", false, "is_stale_allowed", false, "compliance_enabled", false));
            seen.namespaceExists(true);
        });
    }

    /** A new user is not editable at once (reference §3.2): its info is polled until ECS has it. */
    ControllerStep objectUser() {
        return ControllerStep.of("create object user " + a.objectUser(), c -> {
            api.post("/object/users", body("user", a.objectUser(), "namespace", a.namespace()));
            long start = System.currentTimeMillis();
            while (api.find("/object/users/" + a.objectUser() + "/info?namespace=" + a.namespace()) == null) {
                if (System.currentTimeMillis() - start > a.readyTimeoutMs()) {
                    throw new IllegalStateException("user " + a.objectUser() + " did not appear");
                }
                Thread.sleep(a.pollMs());
            }
            seen.userExists(true);
        });
    }

    ControllerStep secretKey() {
        return ControllerStep.of("create the S3 secret key of " + a.objectUser() + " into " + a.credentialsFile(), c -> {
            JsonNode key = api.post("/object/user-secret-keys/" + a.objectUser(), body("namespace", a.namespace()));
            seen.secretKey(key.path("secret_key").asText());
            EcsCredentials.write(a, s3Endpoint(), seen.secretKey());
        });
    }

    ControllerStep credentialsFile() {
        return ControllerStep.of("write the S3 credentials of " + a.objectUser() + " to " + a.credentialsFile(),
                c -> EcsCredentials.write(a, s3Endpoint(), seen.secretKey()));
    }

    private String s3Endpoint() {
        return seen.s3Endpoint(a);
    }
}
