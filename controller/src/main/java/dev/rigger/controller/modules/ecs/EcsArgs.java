package dev.rigger.controller.modules.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.security.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ecs} module's arguments, with ECS CE's defaults. The passwords are {@link Secret}s from here on.
 *
 * @param endpoint        what messages name: the given {@code endpoint}, or {@code https://<address>:<port>}
 * @param tunnel          true when no {@code endpoint} was given: the API is reached through the host's SSH
 * @param password        the password root should have ({@code ecs_password})
 * @param initialPassword the one ECS boots with (ChangeMe); object prep changes it to {@code password}
 */
record EcsArgs(URI endpoint, boolean tunnel, int port, String user, Secret password, Secret initialPassword,
               boolean validateCerts, String container, String certificatePath, String licenseText,
               String storagePool, List<String> nodes, String vdc, String replicationGroup, String namespace,
               String objectUser, Path credentialsFile, int s3Port, long bootTimeoutMs, long readyTimeoutMs,
               long pollMs) {
    static final String ECS_DEFAULT_PASSWORD = "ChangeMe";

    static EcsArgs from(ObjectNode a, ControllerModuleContext ctx) {
        int port = a.path("port").asInt(4443);
        boolean tunnel = text(a, "endpoint") == null;
        URI endpoint = URI.create(tunnel ? "https://" + ctx.address() + ":" + port : text(a, "endpoint"));
        List<String> nodes = new ArrayList<>();
        a.path("nodes").forEach(n -> nodes.add(n.asText()));
        String namespace = a.path("namespace").asText("ns1");
        String user = a.path("objectUser").asText("object_admin1");
        Path credentials = a.hasNonNull("credentialsFile") ? Path.of(a.get("credentialsFile").asText())
                : ctx.stateDir().resolve("ecs").resolve(namespace + "-" + user + ".json");
        Secret password = Secret.of(a.path("password").asText(ECS_DEFAULT_PASSWORD));
        if (!a.path("defaultPasswordAllowed").asBoolean(true) && password.matches(ECS_DEFAULT_PASSWORD)) {
            throw new IllegalArgumentException("args.password: ECS's default password is refused here"
                    + " (defaultPasswordAllowed: false): set ecs_password to your own, in a vars file given with"
                    + " -e @file; object prep changes root's password to it");
        }
        boolean validateCerts = a.path("validateCerts").asBoolean(false);
        String certificatePath = text(a, "certificatePath");
        if (certificatePath == null && !validateCerts) {
            throw new IllegalArgumentException("args.certificatePath: required (playbook var ecs_certificate_path):"
                    + " the path, inside the ECS container, of the PEM certificate the management API presents"
                    + " (the ECS simulator's: /etc/ecssim/management.pem). It is read over SSH and pinned, so nothing"
                    + " else listening on the port receives the password. Or validateCerts: true with an endpoint"
                    + " whose certificate a CA the JDK trusts has signed");
        }
        if (validateCerts && tunnel) {
            throw new IllegalArgumentException("args.validateCerts: needs args.endpoint, a name the certificate"
                    + " carries; through the SSH tunnel the API is at 127.0.0.1");
        }
        return new EcsArgs(endpoint, tunnel, port, a.path("username").asText("root"), password,
                Secret.of(a.path("initialPassword").asText(ECS_DEFAULT_PASSWORD)), validateCerts,
                a.path("container").asText("ecs-storageos"), certificatePath, required(a, "license"),
                a.path("storagePool").asText("sp1"), nodes, a.path("vdc").asText("vdc1"),
                a.path("replicationGroup").asText("rg1"), namespace, user, credentials, a.path("s3Port").asInt(9020),
                seconds(a, "bootTimeoutSec", 1800), seconds(a, "readyTimeoutSec", 900), seconds(a, "pollSec", 5));
    }

    /** Messages name the API as the user knows it, and how it is reached. */
    String describeEndpoint() {
        return endpoint + (tunnel ? " (through SSH)" : "");
    }

    private static String text(ObjectNode a, String field) {
        JsonNode n = a.get(field);
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
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
