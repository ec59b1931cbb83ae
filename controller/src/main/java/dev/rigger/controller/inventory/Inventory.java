package dev.rigger.controller.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The hosts of a run, in a stable order, and the groups they belong to ({@code all} holds every host). */
public record Inventory(List<InventoryHost> hosts) {

    public List<String> names() {
        return hosts.stream().map(InventoryHost::name).toList();
    }

    public Optional<InventoryHost> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /** Group name -> member names, in inventory order. */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("all", new ArrayList<>(names()));
        for (InventoryHost h : hosts) {
            for (String g : h.groups()) {
                groups.computeIfAbsent(g, k -> new ArrayList<>()).add(h.name());
            }
        }
        return groups;
    }
}
