package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.state.SimulatorState;
import dev.rigger.ecssim.state.StateStore;

/**
 * Storage pools ("varrays"; note the plural {@code data-services}). Synchronous. A second pool with the
 * name of an existing one is refused with 400 / 1008 "Duplicate found: NAME", the shape ECS uses for
 * duplicate names it validates as parameters (ce#479) [inferred: uniqueness is not documented].
 */
public final class StoragePoolResource {
    private final StateStore store;
    private final VdcResource vdcs;

    public StoragePoolResource(StateStore store, VdcResource vdcs) {
        this.store = store;
        this.vdcs = vdcs;
    }

    public void register(ApiRouter router) {
        router.add("POST", "/vdc/data-services/varrays", this::create);
        router.add("GET", "/vdc/data-services/varrays", this::list);
        router.add("GET", "/vdc/data-services/varrays/{id}", request -> ApiResponse.ok(
                store.read(state -> find(state, request.param("id")).deepCopy())));
    }

    private ApiResponse create(ApiRequest request) {
        ObjectNode body = request.json();
        String name = ApiRequest.requiredText(body, "name");
        boolean isProtected = ApiRequest.flag(body, "isProtected", false);
        boolean cold = ApiRequest.flag(body, "isColdStorageEnabled", false);
        String description = body.path("description").asText("");
        ObjectNode pool = store.mutate(state -> {
            if (state.storagePools.stream().anyMatch(p -> p.path("name").asText().equals(name))) {
                throw ApiError.invalid("Duplicate found: " + name);
            }
            String id = Json.urn("VirtualArray");
            ObjectNode created = Json.object()
                    .put("id", id)
                    .put("name", name)
                    .put("description", description)
                    .put("isProtected", isProtected)
                    .put("isColdStorageEnabled", cold)
                    .put("creation_time", System.currentTimeMillis())
                    .put("inactive", false)
                    .put("global", false)
                    .put("remote", false)
                    .put("totalCapacity", 0)
                    .put("freeCapacity", 0);
            created.set("link", Json.link("/vdc/data-services/varrays/" + id));
            state.storagePools.add(created);
            return created.deepCopy();
        });
        return ApiResponse.ok(pool);
    }

    /** {@code ?vdc-id=URN}: the pools of that VDC; every pool belongs to the one VDC simulated here. */
    private ApiResponse list(ApiRequest request) {
        String vdcId = request.query().get("vdc-id");
        return ApiResponse.ok(store.read(state -> {
            if (vdcId != null && !vdcId.isBlank() && vdcs.findById(state, vdcId) == null) {
                throw ApiError.invalid("vdc-id: unknown VDC " + vdcId);
            }
            ArrayNode pools = Json.array();
            state.storagePools.forEach(p -> pools.add(p.deepCopy()));
            return Json.object().set("varray", pools);
        }));
    }

    static ObjectNode find(SimulatorState state, String id) {
        return state.storagePools.stream()
                .filter(p -> p.path("id").asText().equals(id))
                .findFirst()
                .orElseThrow(() -> ApiError.notFound("no storage pool " + id));
    }
}
