package dev.rigger.controller.modules.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;

/**
 * The {@code ec2} module's arguments with their defaults (the tutorial's cluster: three m5.2xlarge hosts, a
 * 50 GiB root disk and a 512 GiB gp3 data volume each). Region and credentials come from the SDK's default
 * chains; {@code region} overrides, {@code credentialsFile} (an AWS shared-credentials file, profile
 * {@code default}, such as the EC2 emulator's) replaces the chain. {@code clientCidr} has no default
 * ({@link ClientCidr}); {@code sshCidr}, the controller's own SSH rule, defaults to it.
 *
 * @param publicKeyFile the key pair's public half; null means the controller's own key in {@code keys/}
 */
record Ec2Args(String cluster, String region, URI endpoint, int count, String ami, String instanceType,
               int rootVolumeGiB, String subnetId, String keyName, Path publicKeyFile, String clientCidr,
               String sshCidr, Path credentialsFile, int volumeSizeGiB, String volumeType, String device, String group, String sshUser,
               boolean usePrivateIp, boolean present, int capacityRetries, long capacityBackoffMs,
               long waitTimeoutMs, long hostKeyTimeoutMs, long pollMs) {

    static Ec2Args from(ObjectNode a) {
        String cluster = required(a, "cluster");
        if (!cluster.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("args.cluster: expected letters, digits, '.', '_' or '-' (at most 63), got '"
                    + cluster + "'");
        }
        String state = a.path("state").asText("present");
        if (!state.equals("present") && !state.equals("absent")) {
            throw new IllegalArgumentException("args.state: expected present or absent, got '" + state + "'");
        }
        int count = a.path("count").asInt(3);
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("args.count: expected 1..100, got " + count);
        }
        URI endpoint = text(a, "endpoint") == null ? null : URI.create(text(a, "endpoint"));
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("args.endpoint: expected a URL such as http://127.0.0.1:4566, got '"
                    + endpoint + "'");
        }
        String keyFile = text(a, "publicKeyFile");
        boolean present = state.equals("present");
        // only a present cluster opens ports; absent finds the group by name
        String clientCidr = present ? ClientCidr.parse("clientCidr", text(a, "clientCidr")) : null;
        String sshCidr = present && text(a, "sshCidr") != null ? ClientCidr.parse("sshCidr", text(a, "sshCidr")) : clientCidr;
        String credentials = text(a, "credentialsFile");
        return new Ec2Args(cluster, text(a, "region"), endpoint, count, text(a, "ami"),
                a.path("instanceType").asText("m5.2xlarge"), positive(a, "rootVolumeGiB", 50), text(a, "subnetId"),
                a.path("keyName").asText("rigger-" + cluster), keyFile == null ? null : Path.of(keyFile),
                clientCidr, sshCidr, credentials == null ? null : Path.of(credentials), positive(a, "volumeSizeGiB", 512),
                a.path("volumeType").asText("gp3"), a.path("device").asText("/dev/sdf"), a.path("group").asText("ecs"),
                a.path("sshUser").asText("ubuntu"), a.path("usePrivateIp").asBoolean(false), present,
                Math.max(0, a.path("capacityRetries").asInt(3)), millis(a, "capacityBackoffSec", 10),
                millis(a, "waitTimeoutSec", 900), millis(a, "hostKeyTimeoutSec", 600), millis(a, "pollSec", 5));
    }

    String securityGroupName() {
        return "rigger-" + cluster;
    }

    private static String required(ObjectNode a, String field) {
        String value = text(a, field);
        if (value == null) {
            throw new IllegalArgumentException("args." + field + ": required");
        }
        return value;
    }

    private static String text(ObjectNode a, String field) {
        JsonNode n = a.get(field);
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }

    private static int positive(ObjectNode a, String field, int fallback) {
        int value = a.path(field).asInt(fallback);
        if (value < 1) {
            throw new IllegalArgumentException("args." + field + ": expected a positive number, got " + a.get(field));
        }
        return value;
    }

    private static long millis(ObjectNode a, String field, double fallbackSeconds) {
        return (long) (a.path(field).asDouble(fallbackSeconds) * 1000);
    }
}
