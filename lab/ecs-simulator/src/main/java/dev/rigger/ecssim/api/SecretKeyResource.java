package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.state.SimulatorState;
import dev.rigger.ecssim.state.StateStore;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * S3 secret keys of object users. ECS keeps at most two: the first POST fills slot 1; the next one fills
 * slot 2 and keeps key 1, which expires {@code existing_key_expiry_time_mins} later when that is given
 * (otherwise it stays valid). Once slot 1 has expired, a POST moves key 2 to slot 1 and fills slot 2;
 * while both keys are valid a third POST is 400 / 1008 [inferred]. Without {@code secretkey} a
 * 40-character key is generated. Unknown user: 404 / 2000.
 */
public final class SecretKeyResource {
    private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final StateStore store;

    public SecretKeyResource(StateStore store) {
        this.store = store;
    }

    public void register(ApiRouter router) {
        router.add("POST", "/object/user-secret-keys/{uid}", this::create);
        router.add("GET", "/object/user-secret-keys/{uid}", request -> ApiResponse.ok(get(request.param("uid"), null)));
        router.add("GET", "/object/user-secret-keys/{uid}/{ns}",
                request -> ApiResponse.ok(get(request.param("uid"), request.param("ns"))));
    }

    private ApiResponse create(ApiRequest request) {
        String uid = request.param("uid");
        ObjectNode body = request.json();
        String given = body.path("secretkey").asText("");
        String namespace = body.path("namespace").asText("");
        JsonNode expiry = body.get("existing_key_expiry_time_mins");
        if (expiry != null && !expiry.isNull() && !expiry.canConvertToLong() && !expiry.asText().matches("\\d+")) {
            throw ApiError.invalid("existing_key_expiry_time_mins must be a number of minutes");
        }
        long expiryMins = expiry == null || expiry.isNull() ? -1
                : expiry.isNumber() ? expiry.asLong() : Long.parseLong(expiry.asText());
        String key = given.isBlank() ? Json.secret(40) : given;
        ObjectNode answer = store.mutate(state -> {
            ObjectNode user = user(state, uid, namespace);
            ObjectNode keys = keysOf(state, uid);
            long now = System.currentTimeMillis();
            String stamp = Json.keyTime(now);
            if (keys.path("secret_key_1").asText().isEmpty()) {
                put(keys, 1, key, stamp, "");
            } else if (keys.path("secret_key_2").asText().isEmpty()) {
                keys.put("key_expiry_timestamp_1", expiryMins >= 0 ? Json.keyTime(now + expiryMins * 60_000) : "");
                put(keys, 2, key, stamp, "");
            } else if (expired(keys.path("key_expiry_timestamp_1").asText(), now)) {
                put(keys, 1, keys.path("secret_key_2").asText(), keys.path("key_timestamp_2").asText(),
                        expiryMins >= 0 ? Json.keyTime(now + expiryMins * 60_000) : "");
                put(keys, 2, key, stamp, "");
            } else {
                throw ApiError.invalid("object user " + user.path("name").asText()
                        + " already has two valid secret keys; deactivate one first");
            }
            ObjectNode created = Json.object()
                    .put("secret_key", key)
                    .put("key_timestamp", stamp)
                    .put("key_expiry_timestamp", "");
            created.set("link", Json.link("/object/user-secret-keys/" + uid));
            return created;
        });
        return ApiResponse.ok(answer);
    }

    private ObjectNode get(String uid, String namespace) {
        return store.read(state -> {
            user(state, uid, namespace == null ? "" : namespace);
            ObjectNode keys = state.secretKeys.get(uid);
            return keys == null ? empty(uid) : keys.deepCopy();
        });
    }

    private static ObjectNode user(SimulatorState state, String uid, String namespace) {
        ObjectNode user = ObjectUserResource.find(state, uid)
                .orElseThrow(() -> ApiError.notFound("no object user " + uid));
        if (!namespace.isBlank() && !namespace.equals(user.path("namespace").asText())) {
            throw ApiError.invalid("namespace: object user " + uid + " is not in namespace " + namespace);
        }
        return user;
    }

    private static ObjectNode keysOf(SimulatorState state, String uid) {
        return state.secretKeys.computeIfAbsent(uid, SecretKeyResource::empty);
    }

    private static ObjectNode empty(String uid) {
        ObjectNode keys = Json.object();
        put(keys, 1, "", "", "");
        put(keys, 2, "", "", "");
        keys.set("link", Json.link("/object/user-secret-keys/" + uid));
        return keys;
    }

    private static void put(ObjectNode keys, int slot, String key, String stamp, String expiry) {
        keys.put("secret_key_" + slot, key)
                .put("key_timestamp_" + slot, stamp)
                .put("key_expiry_timestamp_" + slot, expiry);
    }

    private static boolean expired(String expiry, long now) {
        if (expiry == null || expiry.isBlank()) {
            return false;
        }
        return LocalDateTime.parse(expiry, KEY_TIME).toInstant(ZoneOffset.UTC).toEpochMilli() <= now;
    }
}
