package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.state.SimulatorState;
import dev.rigger.ecssim.state.StateStore;

import java.util.Arrays;
import java.util.List;

/**
 * Virtual data centres. {@code PUT /object/vdcs/vdc/{name}} is an upsert (python-ecsclient's functional
 * test PUTs again with a new name and secret and reads them back): it updates the VDC called {name},
 * renaming it to the body's vdcName, or inserts one; 200, no body. A VDC is {@code local} when its
 * inter-VDC endpoints include one of this VDC's nodes (the seeds) [inferred]. The secret key of
 * {@code GET /object/vdcs/vdc/local/secretkey} is made once, on first boot, and kept in the state.
 */
public final class VdcResource {
    private final StateStore store;
    private final List<String> localIps;

    public VdcResource(StateStore store, List<String> localIps) {
        this.store = store;
        this.localIps = List.copyOf(localIps);
    }

    public void register(ApiRouter router) {
        router.add("GET", "/object/vdcs/vdc/local/secretkey", request -> ApiResponse.ok(
                Json.object().put("key", store.<String>read(state -> state.vdcSecretKey))));
        router.add("GET", "/object/vdcs/vdc/list", request -> ApiResponse.ok(store.read(state -> {
            ArrayNode list = Json.array();
            state.vdcs.forEach(v -> list.add(v.deepCopy()));
            return Json.object().set("vdc", list);
        })));
        router.add("GET", "/object/vdcs/vdc/{name}", request -> ApiResponse.ok(store.read(state ->
                findByName(state, request.param("name")).deepCopy())));
        router.add("GET", "/object/vdcs/vdcid/{id}", request -> ApiResponse.ok(store.read(state -> {
            ObjectNode vdc = findById(state, request.param("id"));
            if (vdc == null) {
                throw ApiError.notFound("no VDC " + request.param("id"));
            }
            return vdc.deepCopy();
        })));
        router.add("PUT", "/object/vdcs/vdc/{name}", this::upsert);
    }

    private ApiResponse upsert(ApiRequest request) {
        ObjectNode body = request.json();
        String pathName = request.param("name");
        String newName = body.path("vdcName").asText("").isBlank() ? pathName : body.path("vdcName").asText();
        String endpoints = ApiRequest.requiredText(body, "interVdcEndPoints");
        String secret = ApiRequest.requiredText(body, "secretKeys");
        String cmdEndpoints = body.path("interVdcCmdEndPoints").asText("").isBlank() ? endpoints
                : body.path("interVdcCmdEndPoints").asText();
        String mgmtEndpoints = body.path("managementEndPoints").asText("").isBlank() ? endpoints
                : body.path("managementEndPoints").asText();
        store.mutate(state -> {
            ObjectNode vdc = state.vdcs.stream().filter(v -> v.path("name").asText().equals(pathName))
                    .findFirst().orElse(null);
            boolean clash = state.vdcs.stream()
                    .anyMatch(v -> v != null && v.path("name").asText().equals(newName) && !newName.equals(pathName));
            if (clash) {
                throw ApiError.invalid("Duplicate found: " + newName);
            }
            if (vdc == null) {
                String id = Json.urn("VirtualDataCenterData");
                vdc = Json.object().put("id", id).put("vdcId", id);
                vdc.set("link", Json.link("/object/vdcs/vdcid/" + id));
                state.vdcs.add(vdc);
            }
            vdc.put("name", newName)
                    .put("vdcName", newName)
                    .put("interVdcEndPoints", endpoints)
                    .put("interVdcCmdEndPoints", cmdEndpoints)
                    .put("managementEndPoints", mgmtEndpoints)
                    .put("secretKeys", secret)
                    .put("permanentlyFailed", false)
                    .put("local", Arrays.stream(endpoints.split(",")).map(String::trim).anyMatch(localIps::contains))
                    .put("inactive", false);
            return null;
        });
        return ApiResponse.empty(200);
    }

    /** {@code local} names this VDC unless a VDC is literally called so. */
    private static ObjectNode findByName(SimulatorState state, String name) {
        return state.vdcs.stream().filter(v -> v.path("name").asText().equals(name)).findFirst()
                .or(() -> "local".equals(name)
                        ? state.vdcs.stream().filter(v -> v.path("local").asBoolean()).findFirst()
                        : java.util.Optional.empty())
                .orElseThrow(() -> ApiError.notFound("no VDC named " + name));
    }

    ObjectNode findById(SimulatorState state, String id) {
        return state.vdcs.stream().filter(v -> v.path("id").asText().equals(id)).findFirst().orElse(null);
    }
}
