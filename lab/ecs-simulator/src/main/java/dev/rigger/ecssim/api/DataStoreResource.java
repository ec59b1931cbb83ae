package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.state.SimulatorState;
import dev.rigger.ecssim.state.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Commodity data stores, ECS's one asynchronous call here. {@code POST /vdc/data-stores/commodity}
 * answers 202 with {@code {"task":[...]}}, one pending task per node; a task turns {@code ready} after half
 * of ECSSIM_STORE_READY_SEC (registration ends before the disks are initialised [inferred]) and the
 * store's {@code device_state} goes {@code initializing} -> {@code readytouse} after all of it.
 *
 * <p>A data store's id is its node's IP: legacy CE polls {@code GET /vdc/data-stores/commodity/<ip>}
 * [inferred]. The whole request is refused, and nothing is created, when any entry names an unknown
 * node UUID or a node that already has a data store: 400 / 1013 "Error while registering N commodity
 * nodes", the error ce#305 shows (re-registering a node is its likely cause, §4.2); an unknown
 * storage pool is 400 / 1008.
 */
public final class DataStoreResource {
    public static final String INITIALIZING = "initializing";
    public static final String READY_TO_USE = "readytouse";

    private final StateStore store;
    private final NodeDirectory nodes;
    private final long readyMillis;

    public DataStoreResource(StateStore store, NodeDirectory nodes, long storeReadySec) {
        this.store = store;
        this.nodes = nodes;
        this.readyMillis = storeReadySec * 1000;
    }

    public void register(ApiRouter router) {
        router.add("POST", "/vdc/data-stores/commodity", this::create);
        router.add("GET", "/vdc/data-stores", request -> ApiResponse.ok(store.read(state -> {
            ArrayNode list = Json.array();
            for (ObjectNode ds : state.dataStores) {
                ObjectNode summary = Json.object()
                        .put("id", ds.path("id").asText())
                        .put("name", ds.path("name").asText())
                        .put("resource_type", "commodity");
                summary.set("link", ds.path("link").deepCopy());
                list.add(summary);
            }
            return Json.object().set("data_store", list);
        })));
        router.add("GET", "/vdc/data-stores/commodity/{id}", request -> ApiResponse.ok(
                store.read(state -> find(state, request.param("id")).deepCopy())));
        router.add("GET", "/vdc/data-stores/commodity/search/varray/{varray}", request -> ApiResponse.ok(
                store.read(state -> {
                    StoragePoolResource.find(state, request.param("varray"));
                    ArrayNode list = Json.array();
                    state.dataStores.stream()
                            .filter(ds -> ds.path("varray").asText().equals(request.param("varray")))
                            .forEach(ds -> list.add(ds.deepCopy()));
                    return Json.object().set("commodity_data_store", list);
                })));
        router.add("GET", "/vdc/data-stores/{id}/tasks/{op}", request -> ApiResponse.ok(store.read(state -> {
            find(state, request.param("id"));
            return state.dataStoreTasks.stream()
                    .filter(t -> t.path("op_id").asText().equals(request.param("op")))
                    .filter(t -> t.path("resource").path("id").asText().equals(request.param("id")))
                    .findFirst()
                    .orElseThrow(() -> ApiError.notFound("no task " + request.param("op") + " on data store "
                            + request.param("id")))
                    .deepCopy();
        })));
    }

    private record Registration(String ip, String name, String varray, String description) {
    }

    private ApiResponse create(ApiRequest request) {
        JsonNode entries = request.json().get("nodes");
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            throw ApiError.missing("nodes");
        }
        List<Registration> wanted = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String nodeId = ApiRequest.requiredText(entry, "nodeId");
            String varray = ApiRequest.requiredText(entry, "virtual_array");
            String ip = nodes.ipOf(nodeId).orElseThrow(() -> ApiError.badBody("Error while registering "
                    + entries.size() + " commodity nodes: nodes[" + nodeId + "] is not a node of this VDC"
                    + " (see GET /vdc/nodes)"));
            String name = entry.path("name").asText("");
            wanted.add(new Registration(ip, name.isBlank() ? ip : name, varray, entry.path("description").asText("")));
        }
        ArrayNode tasks = store.mutate(state -> {
            for (Registration r : wanted) {
                StoragePoolResource.find(state, r.varray());
                if (state.dataStores.stream().anyMatch(ds -> ds.path("id").asText().equals(r.ip()))
                        || wanted.stream().filter(o -> o.ip().equals(r.ip())).count() > 1) {
                    throw ApiError.badBody("Error while registering " + wanted.size()
                            + " commodity nodes: node " + r.ip() + " already has a data store");
                }
            }
            long now = System.currentTimeMillis();
            ArrayNode created = Json.array();
            for (Registration r : wanted) {
                ObjectNode task = register(state, r, now);
                created.add(task.deepCopy());
            }
            return created;
        });
        return ApiResponse.json(202, Json.object().set("task", tasks));
    }

    private ObjectNode register(SimulatorState state, Registration r, long now) {
        String href = "/vdc/data-stores/commodity/" + r.ip();
        ObjectNode ds = Json.object()
                .put("id", r.ip())
                .put("name", r.name())
                .put("description", r.description())
                .put("varray", r.varray())
                .put("device_state", INITIALIZING)
                .put("device_info", "")
                .put("resource_type", "commodity")
                .put("usable_gb", 0)
                .put("used_gb", 0)
                .put("free_gb", 0)
                .put("creation_time", now)
                .put("inactive", false)
                .put("global", false)
                .put("remote", false);
        ds.set("link", Json.link(href));
        state.dataStores.add(ds);
        state.storeReadyAt.put(r.ip(), now + readyMillis);

        String opId = UUID.randomUUID().toString();
        String taskHref = "/vdc/data-stores/" + r.ip() + "/tasks/" + opId;
        ObjectNode resource = Json.object().put("id", r.ip()).put("name", r.name());
        resource.set("link", Json.link(href));
        ObjectNode task = Json.object()
                .put("op_id", opId)
                .put("name", "CREATE DATA STORE")
                .put("description", "create commodity data store on node " + r.ip())
                .put("state", "pending")
                .put("start_time", now)
                .put("global", false)
                .put("remote", false);
        task.set("resource", resource);
        task.set("associated_resources", Json.array());
        task.set("link", Json.link(taskHref));
        task.set("restLink", Json.link(taskHref));
        task.set("vdc", Json.object().put("id", ""));
        state.dataStoreTasks.add(task);
        state.taskReadyAt.put(opId, now + readyMillis / 2);
        return task;
    }

    static ObjectNode find(SimulatorState state, String id) {
        return state.dataStores.stream()
                .filter(ds -> ds.path("id").asText().equals(id))
                .findFirst()
                .orElseThrow(() -> ApiError.notFound("no data store " + id));
    }
}
