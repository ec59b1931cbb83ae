package dev.rigger.playbook;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hosts a playbook declares in its {@code inventory} object, in the order written. */
public record PlaybookInventory(Map<String, DeclaredHost> hosts) {

    public static final PlaybookInventory EMPTY = new PlaybookInventory(Map.of());

    public PlaybookInventory {
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    }

    public boolean isEmpty() {
        return hosts.isEmpty();
    }

    /** Group name to host names, in inventory order; {@code all} holds every host. */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put(HostPattern.ALL, new ArrayList<>(hosts.keySet()));
        for (DeclaredHost host : hosts.values()) {
            for (String group : host.groups()) {
                groups.computeIfAbsent(group, g -> new ArrayList<>()).add(host.name());
            }
        }
        groups.replaceAll((g, names) -> List.copyOf(names));
        return groups;
    }
}
