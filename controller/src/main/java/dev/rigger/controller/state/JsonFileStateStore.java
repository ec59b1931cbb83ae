package dev.rigger.controller.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.files.AtomicFiles;
import dev.rigger.playbook.JsonDocument;
import dev.rigger.playbook.PlaybookException;
import dev.rigger.playbook.Problem;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.facts.FactsCheck;
import dev.rigger.protocol.facts.HostFacts;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code .rigger/state.json}, guarded by a lock file so two runs cannot share one state directory. A
 * run's results, facts and play records are written behind ({@link StateWriter}: atomically, at most every
 * {@value #WRITE_INTERVAL_MS} ms, and at {@link #sync()} and close); recorded hosts at once, because they
 * stand for machines that exist.
 * <pre>{@code {"hosts": {"node1": {"facts": {...}, "factsAt": "...",
 *   "tasks": {"Prepare ECS hosts/prepare/format it": {"status": "ok", "changed": false, "msg": "...", "at": "..."}}}}}}</pre>
 */
public final class JsonFileStateStore implements StateStore {
    private static final ObjectMapper JSON = ProtocolJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FILE = "state.json";
    private static final DateTimeFormatter BACKUP_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    static final long WRITE_INTERVAL_MS = 100;

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ObjectNode root;
    private final StateWriter writer;
    private long version;

    private JsonFileStateStore(Path file, FileChannel lockChannel, FileLock lock, ObjectNode root) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.root = root;
        this.writer = new StateWriter(file, this::snapshot, WRITE_INTERVAL_MS);
    }

    /**
     * Opens the store of {@code stateDir} (made if missing), failing at once when another run holds it, when
     * the directory cannot be used, or when {@code state.json} is corrupt ({@link CorruptStateException}: the
     * file is kept as it is, with a copy beside it, and never overwritten).
     */
    public static JsonFileStateStore open(Path stateDir) throws IOException {
        usableDirectory(stateDir);
        FileChannel channel;
        try {
            channel = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException(stateDir + ": cannot create the lock file of the state directory ("
                    + reason(e) + ")", e);
        }
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IOException(stateDir.resolve("lock") + ": another rigger run is using this state directory");
        }
        Path file = stateDir.resolve(FILE);
        try {
            StateDocument state = StateDocument.read(file);
            ObjectNode root = state == null ? JSON.createObjectNode() : state.root();
            return new JsonFileStateStore(file, channel, lock, root);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /**
     * Checks, without making or locking anything, that a run could open the store of {@code stateDir}: the
     * directory is one (or can be made), and {@code state.json}, if there is one, is not corrupt. For commands
     * that validate all their input before they contact a host.
     */
    public static void checkUsable(Path stateDir) throws IOException {
        if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
            throw new IOException(stateDir + ": the state directory (--state) is not a directory");
        }
        StateDocument.read(stateDir.resolve(FILE));
    }

    /** The state directory exists (or is made now) and is a directory this user can read and write. */
    private static void usableDirectory(Path stateDir) throws IOException {
        if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
            throw new IOException(stateDir + ": the state directory (--state) is not a directory");
        }
        try {
            StateOwnership.createDirectory(stateDir);
        } catch (IOException e) {
            throw new IOException(stateDir + ": cannot create the state directory (--state): " + reason(e), e);
        }
        if (!Files.isReadable(stateDir) || !Files.isWritable(stateDir) || !Files.isExecutable(stateDir)) {
            throw new IOException(stateDir + ": the state directory (--state) is not readable and writable by this user");
        }
    }

    /** When the cached facts of {@code host} were gathered, if there are any. */
    public static Optional<Instant> peekFactsAt(Path stateDir, String host) throws IOException {
        StateDocument state = StateDocument.read(stateDir.resolve(FILE));
        JsonNode at = state == null ? null : state.root().path("hosts").path(host).path("factsAt");
        if (at == null || !at.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(at.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads facts without taking the lock: {@code rigger facts} may answer while a run goes on. Facts in a
     * shape this version cannot read (an older rigger wrote them) count as no cache.
     */
    public static Optional<HostFacts> peekFacts(Path stateDir, String host) throws IOException {
        StateDocument state = StateDocument.read(stateDir.resolve(FILE));
        JsonNode facts = state == null ? null : state.root().path("hosts").path(host).path("facts");
        if (facts == null || !facts.isObject()) {
            return Optional.empty();
        }
        try {
            return checked(JSON.treeToValue(facts, HostFacts.class));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Facts an older rigger cached without checking them count as no cache when they lack their shape. */
    private static Optional<HostFacts> checked(HostFacts facts) {
        return facts != null && FactsCheck.problems(facts).isEmpty() ? Optional.of(facts) : Optional.empty();
    }

    @Override
    public synchronized void recordTask(String host, String taskKey, String runId, ModuleResult result) throws IOException {
        ObjectNode tasks = hostNode(host).with("tasks");
        String legacy = legacyTaskKey(taskKey);
        if (!legacy.equals(taskKey)) {
            tasks.remove(legacy);
        }
        ObjectNode entry = tasks.putObject(taskKey);
        entry.put("run", runId);
        entry.put("status", result.status().json());
        entry.put("changed", result.changed());
        if (result.msg() != null) {
            entry.put("msg", result.msg());
        }
        entry.put("at", Instant.now().toString());
        changed();
    }

    @Override
    public synchronized void recordPlay(String host, PlayRecord play) throws IOException {
        ObjectNode plays = hostNode(host).with("plays");
        // the older, unescaped key of this play would otherwise still count for --retry-failed
        String legacy = legacyPlayKey(play.playKey());
        if (!legacy.equals(play.playKey())) {
            plays.remove(legacy);
        }
        plays.set(play.playKey(), JSON.valueToTree(play));
        changed();
    }

    /** The key an older rigger filed this task under (the same one when no name holds '/' or '~'). */
    private static String legacyTaskKey(String taskKey) {
        try {
            return TaskKey.parse(taskKey).legacy();
        } catch (IllegalArgumentException e) {
            return taskKey;
        }
    }

    private static String legacyPlayKey(String playKey) {
        try {
            return PlayKey.parse(playKey).legacy();
        } catch (IllegalArgumentException e) {
            return playKey;
        }
    }

    /** Per host, how each play last went, read without the lock. */
    public static Map<String, Map<String, PlayRecord>> peekPlays(Path stateDir) throws IOException {
        Map<String, Map<String, PlayRecord>> plays = new LinkedHashMap<>();
        StateDocument state = StateDocument.read(stateDir.resolve(FILE));
        if (state == null) {
            return plays;
        }
        for (Map.Entry<String, JsonNode> h : (Iterable<Map.Entry<String, JsonNode>>) state.root().path("hosts")::fields) {
            Map<String, PlayRecord> perPlay = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> p : (Iterable<Map.Entry<String, JsonNode>>) h.getValue().path("plays")::fields) {
                try {
                    perPlay.put(p.getKey(), JSON.convertValue(p.getValue(), PlayRecord.class));
                } catch (IllegalArgumentException e) {
                    throw state.corrupt("/hosts/" + escape(h.getKey()) + "/plays/" + escape(p.getKey()),
                            "not a play record this rigger can read");
                }
            }
            plays.put(h.getKey(), perPlay);
        }
        return plays;
    }

    @Override
    public synchronized void recordFacts(String host, HostFacts facts) throws IOException {
        if (!FactsCheck.problems(facts).isEmpty()) {
            // every way in checks them first (FactsGate): this is the last line, not the first
            throw new IllegalArgumentException(host + ": facts refused: not recorded in the state");
        }
        ObjectNode h = hostNode(host);
        h.set("facts", JSON.valueToTree(facts));
        h.put("factsAt", Instant.now().toString());
        changed();
    }

    @Override
    public synchronized Optional<HostFacts> cachedFacts(String host) {
        JsonNode facts = root.path("hosts").path(host).path("facts");
        try {
            return facts.isObject() ? checked(JSON.treeToValue(facts, HostFacts.class)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void recordHost(InventoryHost host) throws IOException {
        root.with("inventory").with("hosts").set(host.name(), InventoryLoader.toJson(host));
        changedNow();
    }

    @Override
    public synchronized void removeHost(String name) throws IOException {
        root.with("inventory").with("hosts").remove(name);
        changedNow();
    }

    @Override
    public synchronized Inventory recordedHosts() {
        return hostsOf(root, file);
    }

    /** The hosts earlier runs recorded, read without the lock (for commands that only look). */
    public static Inventory peekHosts(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        StateDocument state = StateDocument.read(file);
        return state == null ? new Inventory(List.of()) : hostsOf(state.root(), file);
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

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "a part of the path is a file, not a directory";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * {@code state.json} that cannot be used: not JSON, or not the shape rigger writes. The message names the
     * file, line:column and pointer; the file is left untouched and a copy is kept beside it
     * ({@code state.json.corrupt-<time>}), so that moving the file away to start afresh loses nothing.
     */
    public static final class CorruptStateException extends IOException {
        private final Path backup;

        CorruptStateException(String message, Path backup) {
            super(message);
            this.backup = backup;
        }

        /** The copy of the corrupt file. */
        public Path backup() {
            return backup;
        }
    }

    /** state.json as read from disk, and where each of its values is. */
    private record StateDocument(Path file, ObjectNode root, JsonDocument document) {

        /** The state in {@code file}, or null when there is none yet. */
        static StateDocument read(Path file) throws IOException {
            if (!Files.exists(file)) {
                // nothing recorded yet, unless the state directory is a file (or lies under one)
                Path existing = file.toAbsolutePath().getParent();
                while (existing != null && !Files.exists(existing)) {
                    existing = existing.getParent();
                }
                if (existing != null && !Files.isDirectory(existing)) {
                    throw new IOException(file.getParent() + ": the state directory (--state) cannot be used: "
                            + existing + " is a file, not a directory");
                }
                return null;
            }
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + ": not a regular file; rigger keeps its state there (move it away)");
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                throw corrupt(file, file + ": not UTF-8 text");
            } catch (IOException e) {
                throw new IOException(file + ": cannot read the state (" + reason(e) + ")", e);
            }
            JsonDocument document;
            try {
                document = JsonDocument.parse(text, file.toString());
            } catch (PlaybookException e) {
                throw corrupt(file, e.getMessage());
            }
            StateDocument state = new StateDocument(file, document.root() instanceof ObjectNode o ? o : null, document);
            if (state.root() == null) {
                throw state.corrupt("", "expected an object");
            }
            state.checkShape();
            return state;
        }

        /** The parts that writes go into are objects, and the recorded inventory is one rigger can use. */
        private void checkShape() throws CorruptStateException {
            for (String part : List.of("hosts", "inventory")) {
                if (root.has(part) && !root.get(part).isObject()) {
                    throw corrupt("/" + part, "expected an object");
                }
            }
            for (Map.Entry<String, JsonNode> h : (Iterable<Map.Entry<String, JsonNode>>) root.path("hosts")::fields) {
                String at = "/hosts/" + escape(h.getKey());
                if (!h.getValue().isObject()) {
                    throw corrupt(at, "expected an object");
                }
                for (String part : List.of("tasks", "plays", "facts")) {
                    if (h.getValue().has(part) && !h.getValue().get(part).isObject()) {
                        throw corrupt(at + "/" + part, "expected an object");
                    }
                }
            }
            if (root.has("inventory")) {
                List<Problem> problems = InventoryLoader.problems(root.get("inventory"),
                        (pointer, message) -> document.problemAt("/inventory" + pointer, message));
                if (!problems.isEmpty()) {
                    throw StateDocument.corrupt(file, problems.get(0).toString());
                }
            }
        }

        CorruptStateException corrupt(String pointer, String message) {
            return StateDocument.corrupt(file, document.problemAt(pointer, message).toString());
        }

        /** Keeps a copy (one per distinct content) and says what to do. */
        static CorruptStateException corrupt(Path file, String problem) {
            Path backup = null;
            String kept;
            try {
                backup = backup(file);
                kept = "a copy is kept at " + backup;
            } catch (IOException e) {
                kept = "no copy could be made (" + reason(e) + ")";
            }
            return new CorruptStateException(problem + "; rigger will not use or overwrite this state, " + kept
                    + "; fix the file, or move it away to start with an empty state (recorded hosts, results and"
                    + " cached facts are then forgotten)", backup);
        }

        private static Path backup(Path file) throws IOException {
            byte[] content = Files.readAllBytes(file);
            String prefix = file.getFileName() + ".corrupt-";
            try (var siblings = Files.list(file.toAbsolutePath().getParent())) {
                for (Path p : (Iterable<Path>) siblings::iterator) {
                    if (p.getFileName().toString().startsWith(prefix) && Files.isRegularFile(p)
                            && Arrays.equals(Files.readAllBytes(p), content)) {
                        return file.resolveSibling(p.getFileName());
                    }
                }
            }
            String time = LocalDateTime.now().format(BACKUP_TIME);
            Path backup = file.resolveSibling(prefix + time);
            for (int i = 2; Files.exists(backup); i++) {
                backup = file.resolveSibling(prefix + time + "-" + i);
            }
            AtomicFiles.write(backup, content, PosixFilePermissions.fromString("rw-------"));
            return backup;
        }
    }

    private ObjectNode hostNode(String host) {
        return root.with("hosts").with(host);
    }

    private void changed() throws IOException {
        version++;
        writer.request();
    }

    private void changedNow() throws IOException {
        version++;
        writer.writeNow();
    }

    private synchronized StateWriter.Snapshot snapshot() throws IOException {
        return new StateWriter.Snapshot(version, JSON.writeValueAsBytes(root));
    }

    /** Writes what is not on disk yet, now: a run's end is on disk before anyone hears of it. */
    @Override
    public void sync() throws IOException {
        writer.writeNow();
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            synchronized (this) {
                lock.release();
                lockChannel.close();
            }
        }
    }
}
