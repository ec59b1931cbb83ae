package dev.rigger.controller.modules.dockercontainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.RestartPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The arguments of {@code docker_container}, checked and normalised: binds, devices and the restart
 * policy are written the way Docker reports them, so equal configurations compare (and hash) equal.
 */
record ContainerArgs(String name, String image, SortedMap<String, String> env, String networkMode,
                     boolean privileged, List<String> binds, List<String> devices, String restartPolicy,
                     Integer stopTimeoutSec, List<String> command, List<String> entrypoint,
                     SortedMap<String, String> labels, State state, double checkRunningSec) {

    /** The label that holds the hash of the configuration a container was made from. */
    static final String CONFIG_LABEL = "dev.rigger.config";

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    enum State { STARTED, PRESENT, STOPPED, ABSENT }

    static ContainerArgs parse(ObjectNode args) {
        String name = required(args, "name");
        State state = switch (args.path("state").asText("started").toLowerCase(Locale.ROOT)) {
            case "started" -> State.STARTED;
            case "present" -> State.PRESENT;
            case "stopped" -> State.STOPPED;
            case "absent" -> State.ABSENT;
            default -> throw new IllegalArgumentException("args.state: must be started, present, stopped or absent, was '"
                    + args.path("state").asText() + "'");
        };
        String image = state == State.ABSENT ? args.path("image").asText("") : required(args, "image");
        List<String> binds = new ArrayList<>();
        strings(args, "binds").forEach(b -> binds.add(bind(b, binds.size())));
        List<String> devices = new ArrayList<>();
        strings(args, "devices").forEach(d -> devices.add(device(d, devices.size())));
        String restart = args.hasNonNull("restartPolicy") ? restartPolicy(args.get("restartPolicy").asText()) : null;
        Integer stopTimeout = null;
        if (args.hasNonNull("stopTimeoutSec")) {
            // a template such as "{{ ecs_stop_timeout }}" arrives as text
            String text = args.get("stopTimeoutSec").asText().strip();
            if (!text.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("args.stopTimeoutSec: must be a whole number of seconds >= 0, was '"
                        + text + "'");
            }
            stopTimeout = Integer.parseInt(text);
        }
        double checkRunning = 0;
        if (args.hasNonNull("checkRunningSec")) {
            String text = args.get("checkRunningSec").asText().strip();
            try {
                checkRunning = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                checkRunning = -1;
            }
            if (!(checkRunning >= 0)) {
                throw new IllegalArgumentException("args.checkRunningSec: must be a number of seconds >= 0, was '"
                        + text + "'");
            }
        }
        SortedMap<String, String> labels = map(args, "labels");
        if (labels.containsKey(CONFIG_LABEL)) {
            throw new IllegalArgumentException("args.labels: " + CONFIG_LABEL + " is rigger's own label");
        }
        return new ContainerArgs(name, image, map(args, "env"),
                args.hasNonNull("networkMode") ? args.get("networkMode").asText() : null,
                args.path("privileged").asBoolean(false), List.copyOf(binds.stream().sorted().toList()),
                List.copyOf(devices.stream().sorted().toList()), restart, stopTimeout,
                args.has("command") ? strings(args, "command") : null,
                args.has("entrypoint") ? strings(args, "entrypoint") : null, labels, state, checkRunning);
    }

    /** What defines the container, in a stable shape: the basis of the hash and of the diff. */
    Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("image", image);
        if (!env.isEmpty()) {
            config.put("env", env);
        }
        if (networkMode != null) {
            config.put("networkMode", networkMode);
        }
        config.put("privileged", privileged);
        if (!binds.isEmpty()) {
            config.put("binds", binds);
        }
        if (!devices.isEmpty()) {
            config.put("devices", devices);
        }
        if (restartPolicy != null) {
            config.put("restartPolicy", restartPolicy);
        }
        if (stopTimeoutSec != null) {
            config.put("stopTimeoutSec", stopTimeoutSec);
        }
        if (command != null) {
            config.put("command", command);
        }
        if (entrypoint != null) {
            config.put("entrypoint", entrypoint);
        }
        if (!labels.isEmpty()) {
            config.put("labels", labels);
        }
        return config;
    }

    /** sha256 of the canonical JSON of {@link #config()}: keys sorted, defaults spelt out. */
    String hash() {
        try {
            byte[] json = CANONICAL.writeValueAsString(new TreeMap<>(config())).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash the container configuration: " + e.getMessage(), e);
        }
    }

    List<String> envList() {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static String required(ObjectNode args, String field) {
        String value = args.path(field).asText("").strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("args." + field + ": required");
        }
        return value;
    }

    private static List<String> strings(ObjectNode args, String field) {
        JsonNode node = args.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("args." + field + ": must be a list of strings");
        }
        List<String> values = new ArrayList<>();
        node.forEach(v -> values.add(v.asText()));
        return List.copyOf(values);
    }

    private static SortedMap<String, String> map(ObjectNode args, String field) {
        JsonNode node = args.get(field);
        SortedMap<String, String> values = new TreeMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("args." + field + ": must be an object of names to values");
        }
        node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    private static String bind(String text, int index) {
        try {
            return Bind.parse(text).toString();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("args.binds[" + index + "]: '" + text
                    + "' is not host-path:container-path[:options] (" + e.getMessage() + ")");
        }
    }

    private static String device(String text, int index) {
        try {
            return render(Device.parse(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("args.devices[" + index + "]: '" + text
                    + "' is not host-device[:container-device[:permissions]] (" + e.getMessage() + ")");
        }
    }

    static String render(Device device) {
        return device.getPathOnHost() + ":" + device.getPathInContainer() + ":" + device.getcGroupPermissions();
    }

    private static String restartPolicy(String text) {
        try {
            return render(RestartPolicy.parse(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("args.restartPolicy: must be no, always, unless-stopped or"
                    + " on-failure[:N], was '" + text + "'");
        }
    }

    static String render(RestartPolicy policy) {
        String name = policy.getName() == null || policy.getName().isEmpty() ? "no" : policy.getName();
        Integer retries = policy.getMaximumRetryCount();
        return retries != null && retries > 0 ? name + ":" + retries : name;
    }
}
