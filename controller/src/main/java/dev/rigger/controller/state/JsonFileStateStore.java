package dev.rigger.controller.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.facts.HostFacts;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code .rigger/state.json}, rewritten atomically after every change, guarded by a lock file so two
 * runs cannot share one state directory.
 * <pre>{@code {"hosts": {"node1": {"facts": {...}, "factsAt": "...",
 *   "tasks": {"Prepare ECS hosts/prepare/format it": {"status": "ok", "changed": false, "msg": "...", "at": "..."}}}}}}</pre>
 */
public final class JsonFileStateStore implements StateStore {
    private static final ObjectMapper JSON = ProtocolJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ObjectNode root;

    private JsonFileStateStore(Path file, FileChannel lockChannel, FileLock lock, ObjectNode root) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.root = root;
    }

    /** Opens the store of {@code stateDir}, failing at once when another run holds it. */
    public static JsonFileStateStore open(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        FileChannel channel = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IOException(stateDir.resolve("lock") + ": another rigger run is using this state directory");
        }
        Path file = stateDir.resolve("state.json");
        ObjectNode root = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
        return new JsonFileStateStore(file, channel, lock, root);
    }

    /** When the cached facts of {@code host} were gathered, if there are any. */
    public static Optional<Instant> peekFactsAt(Path stateDir, String host) throws IOException {
        Path file = stateDir.resolve("state.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode at = JSON.readTree(file.toFile()).path("hosts").path(host).path("factsAt");
        return at.isTextual() ? Optional.of(Instant.parse(at.asText())) : Optional.empty();
    }

    /** Reads facts without taking the lock: {@code rigger facts} may answer while a run goes on. */
    public static Optional<HostFacts> peekFacts(Path stateDir, String host) throws IOException {
        Path file = stateDir.resolve("state.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode facts = JSON.readTree(file.toFile()).path("hosts").path(host).path("facts");
        return facts.isObject() ? Optional.of(JSON.treeToValue(facts, HostFacts.class)) : Optional.empty();
    }

    @Override
    public synchronized void recordTask(String host, String taskKey, String runId, ModuleResult result) throws IOException {
        ObjectNode entry = hostNode(host).with("tasks").putObject(taskKey);
        entry.put("run", runId);
        entry.put("status", result.status().json());
        entry.put("changed", result.changed());
        if (result.msg() != null) {
            entry.put("msg", result.msg());
        }
        entry.put("at", Instant.now().toString());
        flush();
    }

    @Override
    public synchronized void recordPlay(String host, PlayRecord play) throws IOException {
        hostNode(host).with("plays").set(play.playKey(), JSON.valueToTree(play));
        flush();
    }

    /** Per host, how each play last went, read without the lock. */
    public static Map<String, Map<String, PlayRecord>> peekPlays(Path stateDir) throws IOException {
        Path file = stateDir.resolve("state.json");
        Map<String, Map<String, PlayRecord>> plays = new java.util.LinkedHashMap<>();
        if (!Files.exists(file)) {
            return plays;
        }
        JSON.readTree(file.toFile()).path("hosts").fields().forEachRemaining(h -> {
            Map<String, PlayRecord> perPlay = new java.util.LinkedHashMap<>();
            h.getValue().path("plays").fields().forEachRemaining(p ->
                    perPlay.put(p.getKey(), JSON.convertValue(p.getValue(), PlayRecord.class)));
            plays.put(h.getKey(), perPlay);
        });
        return plays;
    }

    @Override
    public synchronized void recordFacts(String host, HostFacts facts) throws IOException {
        ObjectNode h = hostNode(host);
        h.set("facts", JSON.valueToTree(facts));
        h.put("factsAt", Instant.now().toString());
        flush();
    }

    @Override
    public synchronized Optional<HostFacts> cachedFacts(String host) {
        JsonNode facts = root.path("hosts").path(host).path("facts");
        try {
            return facts.isObject() ? Optional.of(JSON.treeToValue(facts, HostFacts.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void recordHost(InventoryHost host) throws IOException {
        root.with("inventory").with("hosts").set(host.name(), InventoryLoader.toJson(host));
        flush();
    }

    @Override
    public synchronized void removeHost(String name) throws IOException {
        root.with("inventory").with("hosts").remove(name);
        flush();
    }

    @Override
    public synchronized Inventory recordedHosts() {
        return hostsOf(root, file);
    }

    /** The hosts earlier runs recorded, read without the lock (for commands that only look). */
    public static Inventory peekHosts(Path stateDir) throws IOException {
        Path file = stateDir.resolve("state.json");
        return Files.exists(file) ? hostsOf(JSON.readTree(file.toFile()), file) : new Inventory(List.of());
    }

    private static Inventory hostsOf(JsonNode root, Path file) {
        JsonNode inventory = root.path("inventory");
        if (!inventory.isObject()) {
            return new Inventory(List.of());
        }
        try {
            return InventoryLoader.fromJson(inventory, file.toString() + " /inventory", file.getParent());
        } catch (InventoryException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private ObjectNode hostNode(String host) {
        return root.with("hosts").with(host);
    }

    private void flush() throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(root), PosixFilePermissions.fromString("rw-------"));
    }

    @Override
    public synchronized void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
