package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.state.SimulatorState;
import dev.rigger.ecssim.state.StateStore;

import java.time.Instant;
import java.util.Optional;

/**
 * Object users. The namespace must exist (400 / 1008). User ids are unique across the system in ECS, so
 * a second user with an existing id, in any namespace, is 400 / 1015 "Resource already exists"
 * [inferred]. A new user is editable at once (ECS needs a few seconds; clients poll /info anyway).
 */
public final class ObjectUserResource {
    private final StateStore store;

    public ObjectUserResource(StateStore store) {
        this.store = store;
    }

    public void register(ApiRouter router) {
        router.add("POST", "/object/users", this::create);
        router.add("GET", "/object/users", request -> ApiResponse.ok(list(null)));
        router.add("GET", "/object/users/{ns}", request -> ApiResponse.ok(list(request.param("ns"))));
        router.add("GET", "/object/users/{uid}/info", request -> ApiResponse.ok(store.read(state -> {
            ObjectNode user = find(state, request.param("uid"))
                    .orElseThrow(() -> ApiError.notFound("no object user " + request.param("uid")));
            String ns = request.query().get("namespace");
            if (ns != null && !ns.isBlank() && !ns.equals(user.path("namespace").asText())) {
                throw ApiError.notFound("no object user " + request.param("uid") + " in namespace " + ns);
            }
            return user.deepCopy();
        })));
    }

    private ApiResponse create(ApiRequest request) {
        ObjectNode body = request.json();
        String uid = ApiRequest.requiredText(body, "user");
        String ns = ApiRequest.requiredText(body, "namespace");
        store.mutate(state -> {
            if (NamespaceResource.find(state, ns).isEmpty()) {
                throw ApiError.invalid("namespace: unknown namespace " + ns);
            }
            if (find(state, uid).isPresent()) {
                throw ApiError.exists("object user " + uid + " already exists");
            }
            ObjectNode user = Json.object()
                    .put("name", uid)
                    .put("namespace", ns)
                    .put("locked", false)
                    .put("created", Instant.now().toString());
            user.set("tags", body.has("tags") && body.get("tags").isArray() ? body.get("tags").deepCopy() : Json.array());
            state.users.add(user);
            return null;
        });
        return ApiResponse.ok(Json.object().set("link", Json.link("/object/user-secret-keys/" + uid)));
    }

    private ObjectNode list(String namespace) {
        return store.read(state -> {
            if (namespace != null && NamespaceResource.find(state, namespace).isEmpty()) {
                throw ApiError.notFound("no namespace " + namespace);
            }
            ArrayNode users = Json.array();
            state.users.stream()
                    .filter(u -> namespace == null || u.path("namespace").asText().equals(namespace))
                    .forEach(u -> users.add(Json.object().put("userid", u.path("name").asText())
                            .put("namespace", u.path("namespace").asText())));
            ObjectNode body = Json.object();
            body.set("blobuser", users);
            body.put("Filter", namespace == null ? "" : "namespace=" + namespace);
            return body;
        });
    }

    static Optional<ObjectNode> find(SimulatorState state, String uid) {
        return state.users.stream().filter(u -> u.path("name").asText().equals(uid)).findFirst();
    }
}
