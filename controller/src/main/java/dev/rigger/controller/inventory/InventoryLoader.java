package dev.rigger.controller.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.playbook.JsonDocument;
import dev.rigger.playbook.PlaybookException;
import dev.rigger.playbook.PlaybookInventory;
import dev.rigger.playbook.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads inventories. One shape everywhere (a playbook's {@code inventory}, {@code --inventory FILE},
 * and the file {@code rigger lab up} writes):
 * <pre>{@code {"hosts": {"node1": {"address": "172.30.0.11", "port": 22, "user": "root",
 *   "identityFile": "/abs/id_ed25519", "hostKeys": ["ssh-ed25519 AAAA..."], "groups": ["lab"], "vars": {}}}}}</pre>
 */
public final class InventoryLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where {@code rigger lab up} writes the inventory of the lab called {@code name}. */
    public static Path labInventory(Path stateDir, String name) {
        return stateDir.resolve("lab").resolve(name).resolve("inventory.json");
    }

    /**
     * Reads an inventory file. Every mistake is refused with the file, line:column and JSON pointer, as a
     * playbook's are: a host name or group no pattern could name, an address or user with spaces or control
     * characters, a port outside 1-65535, an unknown property.
     */
    public static Inventory read(Path file) throws InventoryException {
        JsonDocument document;
        try {
            document = JsonDocument.read(file);
        } catch (PlaybookException e) {
            throw new InventoryException("inventory " + e.getMessage());
        }
        List<Problem> problems = InventoryChecks.check(document.root(), document::problemAt, document::problemAtName);
        if (!problems.isEmpty()) {
            throw new InventoryException(problems.stream().map(p -> "inventory " + p)
                    .collect(java.util.stream.Collectors.joining("\n")));
        }
        return fromJson(document.root(), file.toString(), file.getParent());
    }

    /**
     * What is wrong with an inventory document, each problem placed by {@code at} (pointer, message);
     * empty when it can be used.
     */
    public static List<Problem> problems(JsonNode root, java.util.function.BiFunction<String, String, Problem> at) {
        return InventoryChecks.check(root, at, at);
    }

    /**
     * @param source what messages call the document
     * @param base   directory that relative identity files are resolved against
     */
    public static Inventory fromJson(JsonNode root, String source, Path base) throws InventoryException {
        List<Problem> problems = InventoryChecks.check(root, (pointer, message) -> new Problem(source, pointer, 0, 0, message),
                (pointer, message) -> new Problem(source, pointer, 0, 0, message));
        if (!problems.isEmpty()) {
            throw new InventoryException(problems.stream().map(Problem::toString)
                    .collect(java.util.stream.Collectors.joining("\n")));
        }
        JsonNode hosts = root.path("hosts");
        List<InventoryHost> list = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : iterable(hosts)) {
            String name = e.getKey();
            JsonNode h = e.getValue();
            Path identity = null;
            if (h.hasNonNull("identityFile")) {
                identity = Path.of(h.get("identityFile").asText());
                if (!identity.isAbsolute() && base != null) {
                    identity = base.resolve(identity);
                }
            }
            List<String> keys = new ArrayList<>();
            h.path("hostKeys").forEach(k -> keys.add(k.asText()));
            List<String> groups = new ArrayList<>();
            h.path("groups").forEach(g -> groups.add(g.asText()));
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = h.has("vars") ? JSON.convertValue(h.get("vars"), Map.class) : Map.of();
            list.add(new InventoryHost(name, h.path("address").asText(), h.path("port").asInt(22),
                    h.path("user").asText("root"), identity, List.copyOf(keys), List.copyOf(groups), vars));
        }
        return new Inventory(List.copyOf(list));
    }

    /** The hosts a playbook declares itself; relative identity files are taken from the playbook's folder. */
    public static Inventory fromPlaybook(PlaybookInventory declared, Path base) {
        List<InventoryHost> list = new ArrayList<>();
        declared.hosts().values().forEach(h -> {
            Path identity = h.identityFile() == null ? null : base.resolve(h.identityFile());
            list.add(new InventoryHost(h.name(), h.address(), h.port() == null ? 22 : h.port(),
                    h.user() == null ? "root" : h.user(), identity, List.of(), h.groups(), h.vars()));
        });
        return new Inventory(List.copyOf(list));
    }

    /** One host in the shape {@link #fromJson} reads. */
    public static JsonNode toJson(InventoryHost h) {
        var node = JSON.createObjectNode();
        node.put("address", h.address());
        node.put("port", h.port());
        node.put("user", h.user());
        if (h.identityFile() != null) {
            node.put("identityFile", h.identityFile().toAbsolutePath().toString());
        }
        h.hostKeys().forEach(node.withArray("hostKeys")::add);
        h.groups().forEach(node.withArray("groups")::add);
        node.set("vars", JSON.valueToTree(h.vars()));
        return node;
    }

    /** {@code base}, then the hosts of {@code more} that {@code base} lacks. */
    public static Inventory merge(Inventory base, Inventory more) {
        List<InventoryHost> all = new ArrayList<>(base.hosts());
        more.hosts().stream().filter(h -> base.host(h.name()).isEmpty()).forEach(all::add);
        return new Inventory(List.copyOf(all));
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    private InventoryLoader() {
    }
}
