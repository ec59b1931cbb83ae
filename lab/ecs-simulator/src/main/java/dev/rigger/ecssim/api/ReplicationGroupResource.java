package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.state.SimulatorState;
import dev.rigger.ecssim.state.StateStore;

/**
 * Replication groups ("vpools"; note the singular {@code data-service}). Synchronous. Every zone mapping
 * must name a known VDC (name = VDC URN) and storage pool (value = varray URN), else 400 / 1008. A second
 * group with an existing name: 400 / 1008 "Duplicate found: NAME", as for storage pools [inferred].
 */
public final class ReplicationGroupResource {
    private final StateStore store;
    private final VdcResource vdcs;

    public ReplicationGroupResource(StateStore store, VdcResource vdcs) {
        this.store = store;
        this.vdcs = vdcs;
    }

    public void register(ApiRouter router) {
        router.add("POST", "/vdc/data-service/vpools", this::create);
        router.add("GET", "/vdc/data-service/vpools", request -> ApiResponse.ok(store.read(state -> {
            ArrayNode list = Json.array();
            state.replicationGroups.forEach(rg -> list.add(rg.deepCopy()));
            return Json.object().set("data_service_vpool", list);
        })));
        router.add("GET", "/vdc/data-service/vpools/{id}", request -> ApiResponse.ok(
                store.read(state -> find(state, request.param("id")).deepCopy())));
    }

    private ApiResponse create(ApiRequest request) {
        ObjectNode body = request.json();
        String name = ApiRequest.requiredText(body, "name");
        JsonNode mappings = body.get("zone_mappings");
        if (mappings == null || !mappings.isArray() || mappings.isEmpty()) {
            throw ApiError.missing("zone_mappings");
        }
        ObjectNode group = store.mutate(state -> {
            if (state.replicationGroups.stream().anyMatch(rg -> rg.path("name").asText().equals(name))) {
                throw ApiError.invalid("Duplicate found: " + name);
            }
            ArrayNode varrayMappings = Json.array();
            for (JsonNode mapping : mappings) {
                String vdc = ApiRequest.requiredText(mapping, "name");
                String varray = ApiRequest.requiredText(mapping, "value");
                if (vdcs.findById(state, vdc) == null) {
                    throw ApiError.invalid("zone_mappings: unknown VDC " + vdc);
                }
                if (state.storagePools.stream().noneMatch(p -> p.path("id").asText().equals(varray))) {
                    throw ApiError.invalid("zone_mappings: unknown storage pool " + varray);
                }
                varrayMappings.add(Json.object().put("name", vdc).put("value", varray));
            }
            String id = Json.urn("ReplicationGroupInfo") + ":global";
            ObjectNode created = Json.object()
                    .put("id", id)
                    .put("name", name)
                    .put("description", body.path("description").asText(""))
                    .put("isAllowAllNamespaces", ApiRequest.flag(body, "isAllowAllNamespaces", true))
                    .put("enable_rebalancing", ApiRequest.flag(body, "enable_rebalancing", true))
                    .put("isFullRep", ApiRequest.flag(body, "isFullRep", false))
                    .put("creation_time", System.currentTimeMillis())
                    .put("inactive", false)
                    .put("global", true)
                    .put("remote", false);
            created.set("varrayMappings", varrayMappings);
            created.set("link", Json.link("/vdc/data-service/vpools/" + id));
            state.replicationGroups.add(created);
            return created.deepCopy();
        });
        return ApiResponse.ok(group);
    }

    static ObjectNode find(SimulatorState state, String id) {
        return state.replicationGroups.stream().filter(rg -> rg.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> ApiError.notFound("no replication group " + id));
    }
}
