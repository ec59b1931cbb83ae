package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.state.SimulatorState;
import dev.rigger.ecssim.state.StateStore;

/**
 * Namespaces. Names are "verified unique" in ECS: a duplicate is 400 / 1015 "Resource already exists"
 * (1015 rather than 1008, because the name is the namespace's id, so this is an existing resource rather
 * than a bad parameter). A name with '.' or '/' is 400 / 1008; the default replication group is
 * required (1005) and must exist (1008).
 */
public final class NamespaceResource {
    private final StateStore store;

    public NamespaceResource(StateStore store) {
        this.store = store;
    }

    public void register(ApiRouter router) {
        router.add("POST", "/object/namespaces/namespace", this::create);
        router.add("GET", "/object/namespaces", request -> ApiResponse.ok(store.read(state -> {
            ArrayNode list = Json.array();
            for (ObjectNode ns : state.namespaces) {
                ObjectNode summary = Json.object().put("id", ns.path("id").asText()).put("name", ns.path("name").asText());
                summary.set("link", ns.path("link").deepCopy());
                list.add(summary);
            }
            return Json.object().set("namespace", list);
        })));
        router.add("GET", "/object/namespaces/namespace/{ns}", request -> ApiResponse.ok(
                store.read(state -> find(state, request.param("ns")).orElseThrow(
                        () -> ApiError.notFound("no namespace " + request.param("ns"))).deepCopy())));
    }

    private ApiResponse create(ApiRequest request) {
        ObjectNode body = request.json();
        String name = ApiRequest.requiredText(body, "namespace");
        if (name.contains(".") || name.contains("/")) {
            throw ApiError.invalid("namespace: \"" + name + "\" must not contain '.' or '/'");
        }
        String vpool = ApiRequest.requiredText(body, "default_data_services_vpool");
        ObjectNode created = store.mutate(state -> {
            if (find(state, name).isPresent()) {
                throw ApiError.exists("namespace " + name + " already exists");
            }
            if (state.replicationGroups.stream().noneMatch(rg -> rg.path("id").asText().equals(vpool))) {
                throw ApiError.invalid("default_data_services_vpool: unknown replication group " + vpool);
            }
            ObjectNode ns = Json.object()
                    .put("id", name)
                    .put("name", name)
                    .put("default_data_services_vpool", vpool)
                    .put("namespace_admins", body.path("namespace_admins").asText(""))
                    .put("is_encryption_enabled", ApiRequest.flag(body, "is_encryption_enabled", false))
                    .put("is_stale_allowed", ApiRequest.flag(body, "is_stale_allowed", false))
                    .put("compliance_enabled", ApiRequest.flag(body, "compliance_enabled", false))
                    .put("default_bucket_block_size", body.path("default_bucket_block_size").asLong(-1))
                    .put("inactive", false)
                    .put("global", true)
                    .put("remote", false);
            ns.set("allowed_vpools_list", listOrEmpty(body.get("allowed_vpools_list")));
            ns.set("disallowed_vpools_list", listOrEmpty(body.get("disallowed_vpools_list")));
            ns.set("user_mapping", listOrEmpty(body.get("user_mapping")));
            ns.set("link", Json.link("/object/namespaces/namespace/" + name));
            state.namespaces.add(ns);
            return ns.deepCopy();
        });
        return ApiResponse.ok(created);
    }

    private static JsonNode listOrEmpty(JsonNode value) {
        return value != null && value.isArray() ? value.deepCopy() : Json.array();
    }

    static java.util.Optional<ObjectNode> find(SimulatorState state, String name) {
        return state.namespaces.stream().filter(ns -> ns.path("name").asText().equals(name)).findFirst();
    }
}
