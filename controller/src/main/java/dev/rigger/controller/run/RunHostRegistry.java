package dev.rigger.controller.run;

import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.inventory.RunInventory;
import dev.rigger.controller.state.StateStore;
import dev.rigger.playbook.HostPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts of a run, which can grow while it runs: an {@code ec2} task registers the instances it made,
 * and later plays select them like any other host. Registrations go to the state store, so later runs
 * know them. {@code localhost} is the controller itself, as in Ansible: not in {@code all}, reachable only
 * by name, and only controller-side modules run on it.
 */
final class RunHostRegistry implements RunInventory {
    static final String LOCALHOST = "localhost";

    private final Map<String, HostRunState> hosts = new LinkedHashMap<>();
    private final StateStore state;
    private final boolean check;

    /** @param check in check mode hosts join the run but are not recorded: check mode changes nothing */
    RunHostRegistry(Inventory inventory, StateStore state, boolean check) {
        this.state = state;
        this.check = check;
        inventory.hosts().forEach(h -> hosts.put(h.name(), withCachedFacts(new HostRunState(h))));
    }

    private HostRunState withCachedFacts(HostRunState run) {
        if (state != null) {
            state.cachedFacts(run.name()).ifPresent(run::facts);
        }
        return run;
    }

    synchronized HostRunState get(String name) {
        if (LOCALHOST.equals(name) && !hosts.containsKey(LOCALHOST)) {
            return hosts.computeIfAbsent(LOCALHOST, n -> new HostRunState(new InventoryHost(LOCALHOST, "127.0.0.1", 0,
                    System.getProperty("user.name"), null, List.of(), List.of(), Map.of())));
        }
        return hosts.get(name);
    }

    /** A snapshot, in inventory order. */
    synchronized Map<String, HostRunState> all() {
        return new LinkedHashMap<>(hosts);
    }

    synchronized Inventory inventory() {
        return new Inventory(hosts.values().stream().map(h -> h.host).filter(h -> !LOCALHOST.equals(h.name())).toList());
    }

    /** The hosts a play's pattern selects, narrowed by {@code --limit}. */
    synchronized List<String> select(String pattern, String limit) {
        List<String> selected;
        if (LOCALHOST.equals(pattern.trim())) {
            selected = List.of(LOCALHOST);
        } else {
            Inventory inventory = inventory();
            selected = HostPattern.select(pattern, inventory.groups(), inventory.names());
        }
        if (limit == null) {
            return selected;
        }
        Inventory inventory = inventory();
        List<String> allowed = new ArrayList<>(HostPattern.select(limit, inventory.groups(), inventory.names()));
        allowed.add(LOCALHOST);
        return selected.stream().filter(allowed::contains).toList();
    }

    @Override
    public synchronized void register(InventoryHost host) {
        HostRunState existing = hosts.get(host.name());
        if (existing == null || !existing.host.equals(host)) {
            HostRunState run = withCachedFacts(new HostRunState(host));
            if (existing != null) {
                // the same host with new details: what the run knows of it stays
                run.takeOver(existing);
            }
            hosts.put(host.name(), run);
        }
        persist(() -> state.recordHost(host));
    }

    @Override
    public synchronized void remove(String name) {
        HostRunState gone = hosts.remove(name);
        if (gone != null) {
            gone.closeSession();
        }
        persist(() -> state.removeHost(name));
    }

    private void persist(IoAction action) {
        if (state == null || check) {
            return;
        }
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the host in the state: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
