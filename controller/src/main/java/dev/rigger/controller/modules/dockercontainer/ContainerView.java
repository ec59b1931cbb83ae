package dev.rigger.controller.modules.dockercontainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.HostConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An existing container described in the shape of {@link ContainerArgs#config()}, so that the diff of a
 * recreate shows before and after side by side. What the image itself sets (its env, labels) is left out.
 */
final class ContainerView {
    private static final ObjectMapper PRETTY = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ContainerView() {
    }

    /** The container's configuration, limited to the keys {@code wanted} names. */
    static Map<String, Object> of(InspectContainerResponse container, InspectImageResponse image, Set<String> keys) {
        ContainerConfig config = container.getConfig();
        HostConfig host = container.getHostConfig();
        ContainerConfig imageConfig = image == null ? null : image.getConfig();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("image", config.getImage());
        SortedMap<String, String> env = new TreeMap<>();
        List<String> imageEnv = imageConfig == null || imageConfig.getEnv() == null ? List.of()
                : Arrays.asList(imageConfig.getEnv());
        for (String entry : config.getEnv() == null ? new String[0] : config.getEnv()) {
            if (!imageEnv.contains(entry)) {
                int eq = entry.indexOf('=');
                env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        view.put("env", env);
        view.put("networkMode", host.getNetworkMode());
        view.put("privileged", Boolean.TRUE.equals(host.getPrivileged()));
        view.put("binds", host.getBinds() == null ? List.of()
                : Arrays.stream(host.getBinds()).map(Bind::toString).sorted().toList());
        view.put("devices", host.getDevices() == null ? List.of()
                : Arrays.stream(host.getDevices()).map(ContainerArgs::render).sorted().toList());
        view.put("restartPolicy", host.getRestartPolicy() == null ? "no" : ContainerArgs.render(host.getRestartPolicy()));
        view.put("command", config.getCmd() == null ? null : List.of(config.getCmd()));
        view.put("entrypoint", config.getEntrypoint() == null ? null : List.of(config.getEntrypoint()));
        SortedMap<String, String> labels = new TreeMap<>(config.getLabels() == null ? Map.of() : config.getLabels());
        labels.remove(ContainerArgs.CONFIG_LABEL);
        if (imageConfig != null && imageConfig.getLabels() != null) {
            imageConfig.getLabels().forEach(labels::remove);
        }
        view.put("labels", labels);
        view.keySet().retainAll(keys);
        return view;
    }

    static String text(Map<String, Object> config) {
        try {
            return PRETTY.writeValueAsString(new TreeMap<>(config));
        } catch (JsonProcessingException e) {
            return config.toString();
        }
    }

    static Device[] devices(List<String> rendered) {
        return rendered.stream().map(Device::parse).toArray(Device[]::new);
    }
}
