package dev.rigger.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hosts of a lab that is up, with the key to log in and the known_hosts file that pins their host
 * keys. {@code up} writes it as {@code <stateRoot>/<name>/inventory.json}:
 * <pre>{"hosts": {"node1": {"address": "172.30.0.11", "port": 22, "user": "root",
 *   "identityFile": "/abs/id_ed25519", "hostKeys": ["ssh-ed25519 AAAA…"], "groups": ["lab"]}, …}}</pre>
 */
public record LabInventory(String labName, Path identityFile, Path knownHostsFile, List<LabNode> nodes) {
    public static final String FILE = "inventory.json";
    public static final String KNOWN_HOSTS = "known_hosts";
    public static final String GROUP = "lab";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public LabInventory {
        nodes = List.copyOf(nodes);
    }

    /** The inventory of the lab {@code name} under {@code stateRoot}; throws {@link LabNotUpException} if none. */
    public static LabInventory read(Path stateRoot, String name) {
        return find(stateRoot, name).orElseThrow(() -> new LabNotUpException("no lab '" + name + "' is up: "
                + inventoryFile(stateRoot, name) + " does not exist (run `rigger lab up` first)"));
    }

    /** The inventory of the lab {@code name} under {@code stateRoot}, or empty when no such lab is up. */
    public static Optional<LabInventory> find(Path stateRoot, String name) {
        Path labDir = stateRoot.toAbsolutePath().normalize().resolve(name);
        Path file = labDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new LabException("lab '" + name + "': cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode hosts = root.path("hosts");
        if (!hosts.isObject()) {
            throw new LabException("lab '" + name + "': " + file + " has no \"hosts\" object");
        }
        Map<String, LabState.NodeState> backing = new LabStateStore(labDir, name).load().nodes();
        List<LabNode> nodes = new ArrayList<>();
        Path identity = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = hosts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode host = entry.getValue();
            identity = Path.of(host.path("identityFile").asText());
            List<String> keys = new ArrayList<>();
            host.path("hostKeys").forEach(k -> keys.add(k.asText()));
            LabState.NodeState state = backing.get(entry.getKey());
            nodes.add(new LabNode(entry.getKey(), entry.getKey(), host.path("address").asText(),
                    host.path("port").asInt(22), host.path("user").asText("root"), keys,
                    state == null ? null : state.containerId(),
                    state == null ? null : state.loopDevice(),
                    state == null || state.diskFile() == null ? null : Path.of(state.diskFile())));
        }
        return Optional.of(new LabInventory(name, identity, labDir.resolve(KNOWN_HOSTS), nodes));
    }

    static Path inventoryFile(Path stateRoot, String name) {
        return stateRoot.toAbsolutePath().normalize().resolve(name).resolve(FILE);
    }

    /** The inventory.json document, in the shape the controller reads. */
    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode hosts = root.putObject("hosts");
        for (LabNode node : nodes) {
            ObjectNode host = hosts.putObject(node.name());
            host.put("address", node.address());
            host.put("port", node.port());
            host.put("user", node.user());
            host.put("identityFile", identityFile.toString());
            ArrayNode keys = host.putArray("hostKeys");
            node.hostKeys().forEach(keys::add);
            host.putArray("groups").add(GROUP);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new LabException("cannot render the inventory of lab '" + labName + "'", e);
        }
    }

    /** known_hosts lines, {@code <address> <keytype> <key>}, for every node. */
    String toKnownHosts() {
        StringBuilder lines = new StringBuilder();
        for (LabNode node : nodes) {
            String host = node.port() == 22 ? node.address() : "[" + node.address() + "]:" + node.port();
            for (String key : node.hostKeys()) {
                lines.append(host).append(' ').append(key).append('\n');
            }
        }
        return lines.toString();
    }

    void writeTo(Path labDir) {
        try {
            AtomicFiles.write(labDir.resolve(KNOWN_HOSTS), toKnownHosts().getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(labDir.resolve(FILE), toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab's inventory to " + labDir, e);
        }
    }
}
