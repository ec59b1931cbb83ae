package dev.rigger.ecssim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A container filesystem as the ECS installer leaves it, under a temp root: /host/data/network.json
 * (13 keys), id.json, /host/files/seeds, /data, /dae and /disks, owned by uid 444. Tests break one
 * piece at a time.
 */
final class EcsHostLayout implements AutoCloseable {
    static final String DATA_IP = "10.11.12.1";
    static final List<String> SEEDS = List.of(DATA_IP, "10.11.12.2", "10.11.12.3");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    private EcsHostLayout(Path root) {
        this.root = root;
    }

    static EcsHostLayout create() throws IOException, InterruptedException {
        EcsHostLayout layout = new EcsHostLayout(Files.createTempDirectory("ecssim-root"));
        layout.write();
        return layout;
    }

    Path root() {
        return root;
    }

    Path path(String containerPath) {
        return root.resolve(containerPath.substring(1));
    }

    ObjectNode networkJson() {
        ObjectNode network = JSON.createObjectNode();
        for (String key : List.of("data_interface_name", "mgmt_interface_name", "data2_interface_name",
                "replication_interface_name", "public_interface_name", "private_interface_name")) {
            network.put(key, "eth0");
        }
        for (String key : List.of("replication_ip", "private_ip", "data_ip", "data2_ip", "public_ip", "mgmt_ip")) {
            network.put(key, DATA_IP);
        }
        network.put("hostname", "luna");
        return network;
    }

    void writeNetworkJson(ObjectNode network) throws IOException {
        Files.writeString(path("/host/data/network.json"), JSON.writeValueAsString(network));
    }

    void writeSeeds(String text) throws IOException {
        Files.writeString(path("/host/files/seeds"), text);
    }

    void writeIdJson(String json) throws IOException {
        Files.writeString(path("/host/data/id.json"), json);
    }

    void chown(String containerPath, int uid) throws IOException, InterruptedException {
        Commands.run("chown", uid + ":" + uid, path(containerPath).toString());
    }

    private void write() throws IOException, InterruptedException {
        for (String dir : List.of("/host/data", "/host/files", "/data", "/dae", "/disks")) {
            Files.createDirectories(path(dir));
        }
        writeNetworkJson(networkJson());
        writeSeeds(String.join(",", SEEDS));
        writeIdJson("{\"agent_id\": \"3f1c9a4e-0d7b-11ee-be56-0242ac120002\"}");
        Files.writeString(path("/data/is_community_edition"), "");
        if ("root".equals(System.getProperty("user.name"))) {
            Commands.run("chown", "-R", "444:444", path("/host").toString(), path("/data").toString());
        }
    }

    /** Call after any mount below the root is gone. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
