package dev.rigger.controller.modules.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.security.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code ecs} module's arguments, with ECS CE's defaults. The password is a {@link Secret} from here on. */
record EcsArgs(URI endpoint, String user, Secret password, boolean validateCerts, String licenseText,
               String storagePool, List<String> nodes, String vdc, String replicationGroup, String namespace,
               String objectUser, Path credentialsFile, int s3Port, long bootTimeoutMs, long readyTimeoutMs,
               long pollMs) {

    static EcsArgs from(ObjectNode a, ControllerModuleContext ctx) {
        String host = ctx.address();
        URI endpoint = URI.create(a.path("endpoint").asText("https://" + host + ":4443"));
        List<String> nodes = new ArrayList<>();
        a.path("nodes").forEach(n -> nodes.add(n.asText()));
        String namespace = a.path("namespace").asText("ns1");
        String user = a.path("objectUser").asText("object_admin1");
        Path credentials = a.hasNonNull("credentialsFile") ? Path.of(a.get("credentialsFile").asText())
                : ctx.stateDir().resolve("ecs").resolve(namespace + "-" + user + ".json");
        return new EcsArgs(endpoint, a.path("username").asText("root"), Secret.of(a.path("password").asText("ChangeMe")),
                a.path("validateCerts").asBoolean(false), required(a, "license"),
                a.path("storagePool").asText("sp1"), nodes, a.path("vdc").asText("vdc1"),
                a.path("replicationGroup").asText("rg1"), namespace, user, credentials, a.path("s3Port").asInt(9020),
                seconds(a, "bootTimeoutSec", 1800), seconds(a, "readyTimeoutSec", 900), seconds(a, "pollSec", 5));
    }

    private static String required(ObjectNode a, String field) {
        JsonNode n = a.get(field);
        if (n == null || n.isNull() || n.asText().isBlank()) {
            throw new IllegalArgumentException("args." + field + ": required");
        }
        return n.asText();
    }

    private static long seconds(ObjectNode a, String field, double fallback) {
        return (long) (a.path(field).asDouble(fallback) * 1000);
    }
}
