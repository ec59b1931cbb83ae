package dev.rigger.ecssim.boot;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.ecssim.ConsoleLog;
import dev.rigger.ecssim.SimulatorOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks the ECS container makes (or that its boot scripts depend on) before it starts its services:
 * the files the installer writes under /host, the /data directory, and the XFS data mounts under /dae
 * and /disks, with the owners the installer gives them (uid 444, presumably the container's storageos
 * user). Each failure is one line naming the path and what was expected.
 */
public final class HostLayoutChecks {
    /** The 13 keys of the installer's rev1 network.json template. */
    public static final List<String> NETWORK_KEYS = List.of(
            "data_interface_name", "mgmt_interface_name", "hostname", "replication_ip",
            "data2_interface_name", "private_ip", "data_ip", "data2_ip", "public_ip",
            "replication_interface_name", "public_interface_name", "mgmt_ip", "private_interface_name");
    public static final int ECS_UID = 444;

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimulatorOptions options;
    private final Path mountinfo;

    public HostLayoutChecks(SimulatorOptions options, Path mountinfo) {
        this.options = options;
        this.mountinfo = mountinfo;
    }

    public HostFacts run() throws BootFailure {
        JsonNode network = networkJson();
        List<String> seeds = seeds();
        String agentId = agentId();
        Path host = options.path("/host");
        requireOwner(host, "host directory");
        Path data = options.path("/data");
        if (!Files.isDirectory(data)) {
            throw new BootFailure("Error: data directory not found: " + data);
        }
        requireOwner(data, "data directory");
        List<String> mounts = xfsMounts();
        ConsoleLog.boot("host checks passed: hostname " + network.get("hostname").asText()
                + ", data_ip " + network.get("data_ip").asText() + ", seeds " + String.join(",", seeds)
                + ", data mounts " + (mounts.isEmpty() ? "(not checked)" : String.join(" ", mounts)));
        return new HostFacts(network.get("hostname").asText(), network.get("data_ip").asText(),
                network.get("mgmt_ip").asText(), seeds, agentId, mounts);
    }

    private JsonNode networkJson() throws BootFailure {
        Path file = options.path("/host/data/network.json");
        JsonNode node = readJson(file, "network json file");
        List<String> missing = new ArrayList<>();
        for (String key : NETWORK_KEYS) {
            JsonNode value = node.get(key);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new BootFailure("Error: network json file lacks key(s) " + String.join(", ", missing)
                    + " (expected a non-empty string for each of the 13 rev1 keys): " + file);
        }
        for (String key : List.of("data_ip", "mgmt_ip")) {
            if (!IPV4.matcher(node.get(key).asText()).matches()) {
                throw new BootFailure("Error: network json file has " + key + " \"" + node.get(key).asText()
                        + "\", expected an IPv4 address: " + file);
            }
        }
        return node;
    }

    private List<String> seeds() throws BootFailure {
        Path file = options.path("/host/files/seeds");
        if (!Files.isRegularFile(file)) {
            throw new BootFailure("Error: seeds file not found: " + file);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new BootFailure("Error: seeds file not readable (" + e.getMessage() + "): " + file);
        }
        List<String> seeds = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            if (!IPV4.matcher(part).matches()) {
                throw new BootFailure("Error: seeds file must hold comma-separated IPv4 addresses, found \""
                        + part + "\": " + file);
            }
            if (!seeds.contains(part)) {
                seeds.add(part);
            }
        }
        return seeds;
    }

    private String agentId() throws BootFailure {
        Path file = options.path("/host/data/id.json");
        JsonNode node = readJson(file, "id json file");
        JsonNode agentId = node.get("agent_id");
        if (agentId == null || !agentId.isTextual() || agentId.asText().isBlank()) {
            throw new BootFailure("Error: id json file lacks key agent_id (the storage server's uuid): " + file);
        }
        return agentId.asText();
    }

    private JsonNode readJson(Path file, String what) throws BootFailure {
        if (!Files.isRegularFile(file)) {
            throw new BootFailure("Error: " + what + " not found: " + file);
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new BootFailure("Error: " + what + " does not hold a JSON object: " + file);
            }
            return node;
        } catch (JacksonException e) {
            throw new BootFailure("Error: " + what + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + "): " + file);
        } catch (IOException e) {
            throw new BootFailure("Error: " + what + " not readable (" + e.getMessage() + "): " + file);
        }
    }

    private List<String> xfsMounts() throws BootFailure {
        Path dae = options.path("/dae");
        Path disks = options.path("/disks");
        for (Path dir : List.of(dae, disks)) {
            if (!Files.isDirectory(dir)) {
                throw new BootFailure("Error: partition root not found: " + dir
                        + " (expected the host's /ecs bind-mounted there)");
            }
        }
        if (options.skipMountCheck()) {
            ConsoleLog.boot("warning: XFS mount check skipped (ECSSIM_SKIP_MOUNT_CHECK=1)");
            return List.of();
        }
        MountTable table;
        try {
            table = MountTable.read(mountinfo);
        } catch (IOException e) {
            throw new BootFailure("Error: mount table not readable (" + e.getMessage() + "): " + mountinfo);
        }
        List<String> found = new ArrayList<>();
        for (Path dir : List.of(dae, disks)) {
            for (MountEntry entry : table.mountedDirectlyBelow(realPath(dir), "xfs")) {
                requireOwner(entry.mountPoint(), "XFS data mount");
                String shown = dir.resolve(entry.mountPoint().getFileName()).toString();
                if (!found.contains(shown)) {
                    found.add(shown);
                }
            }
        }
        if (found.isEmpty()) {
            throw new BootFailure("Error: no XFS filesystem mounted below " + dae + " or " + disks
                    + " (expected the host's /ecs/uuid-<id> data mount, e.g. " + dae.resolve("uuid-1") + ")");
        }
        return found;
    }

    private static Path realPath(Path dir) throws BootFailure {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new BootFailure("Error: path not resolvable (" + e.getMessage() + "): " + dir);
        }
    }

    private static void requireOwner(Path path, String what) throws BootFailure {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new BootFailure("Error: " + what + " not found: " + path);
        }
        int uid;
        try {
            uid = (Integer) Files.getAttribute(path, "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new BootFailure("Error: owner of " + what + " not readable (" + e.getMessage() + "): " + path);
        }
        if (uid != ECS_UID) {
            throw new BootFailure("Error: " + what + " is owned by uid " + uid + ", expected uid " + ECS_UID
                    + ": " + path);
        }
    }
}
