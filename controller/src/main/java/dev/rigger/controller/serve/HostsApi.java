package dev.rigger.controller.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.run.HostSession;
import dev.rigger.controller.run.UnreachableException;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.controller.state.PlayRecord;
import dev.rigger.protocol.facts.HostFacts;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/** The host side of the API: who the hosts are, how their plays last went, their facts. Called on workers. */
final class HostsApi {
    /**
     * Facts asked of agents (or connections made for them) at once. Each holds a worker thread for up to
     * the facts timeout or an SSH connect; without a bound, a burst of refreshes would take every worker
     * and stall the whole API. Beyond it a refresh is refused with 429 and a plain read gets the cache.
     */
    static final int MAX_LIVE_FACTS = 2;

    private final ServeOptions options;
    private final ConnectedAgents agents;
    private final Semaphore live;
    private final int maxLive;

    HostsApi(ServeOptions options, ConnectedAgents agents) {
        this(options, agents, MAX_LIVE_FACTS);
    }

    HostsApi(ServeOptions options, ConnectedAgents agents, int maxLiveFacts) {
        this.options = options;
        this.agents = agents;
        this.live = new Semaphore(maxLiveFacts);
        this.maxLive = maxLiveFacts;
    }

    private Inventory inventory() throws ApiException {
        try {
            return options.inventory().get();
        } catch (InventoryException e) {
            throw new ApiException(500, "cannot read the inventory: " + e.getMessage());
        }
    }

    private InventoryHost host(String name) throws ApiException {
        return inventory().host(name).orElseThrow(() -> new ApiException(404, "no host '" + name + "' in the inventory"));
    }

    List<Map<String, Object>> list() throws ApiException, IOException {
        Inventory inventory = inventory();
        Map<String, Map<String, PlayRecord>> plays = JsonFileStateStore.peekPlays(options.stateDir());
        Map<String, List<String>> groupsOf = new HashMap<>();
        inventory.groups().forEach((group, members) -> members.forEach(m ->
                groupsOf.computeIfAbsent(m, k -> new ArrayList<>()).add(group)));
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (InventoryHost h : inventory.hosts()) {
            Map<String, PlayRecord> mine = plays.getOrDefault(h.name(), Map.of());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", h.name());
            row.put("address", h.address());
            row.put("groups", groupsOf.getOrDefault(h.name(), List.of()));
            row.put("connected", agents.isAttached(h.name()));
            row.put("lastRun", mine.values().stream().map(PlayRecord::runId).filter(r -> r != null)
                    .max(String::compareTo).orElse(null));
            Map<String, String> status = new LinkedHashMap<>();
            Map<String, Object> firstFailure = null;
            for (PlayRecord r : mine.values()) {
                status.put(r.playKey(), r.status());
                if (firstFailure == null && r.firstFailedTask() != null) {
                    firstFailure = new LinkedHashMap<>();
                    firstFailure.put("run", r.runId());
                    firstFailure.put("play", r.playKey());
                    firstFailure.put("task", r.firstFailedTask());
                }
            }
            row.put("plays", status);
            row.put("firstFailure", firstFailure);
            hosts.add(row);
        }
        return hosts;
    }

    /**
     * Live from the attached agent; with {@code refresh}, connecting it first when it is not; otherwise the
     * facts the last run cached in the state, with their age.
     */
    Map<String, Object> facts(String name, boolean refresh) throws ApiException, IOException {
        InventoryHost host = host(name);
        Optional<HostSession> attached = agents.attached(name);
        if (attached.isEmpty() && !refresh) {
            return cached(name, null);
        }
        if (!live.tryAcquire()) {
            if (refresh) {
                throw new ApiException(429, "too many facts refreshes at once (at most " + maxLive
                        + "); retry in a few seconds");
            }
            return cached(name, "the agents are busy answering other facts requests");
        }
        try {
            return liveFacts(name, host, attached, refresh);
        } finally {
            live.release();
        }
    }

    private Map<String, Object> liveFacts(String name, InventoryHost host, Optional<HostSession> attached, boolean refresh)
            throws ApiException, IOException {
        String unreachable = null;
        if (attached.isEmpty() && refresh) {
            // a new agent brings its facts in its hello: no second gather
            try (HostSession borrowed = agents.connect(host)) {
                return answer(name, "live", borrowed.facts(), Instant.now(), null);
            } catch (UnreachableException e) {
                unreachable = e.getMessage();
            }
        }
        if (attached.isPresent()) {
            try {
                ConnectedAgents.GatheredFacts live = agents.gather(attached.get());
                return answer(name, "live", live.facts(), live.at(), null);
            } catch (UnreachableException e) {
                unreachable = e.getMessage();
            }
        }
        return cached(name, unreachable);
    }

    /** The facts the last run cached; {@code unreachable} says why they are not live, if they should have been. */
    private Map<String, Object> cached(String name, String unreachable) throws ApiException, IOException {
        Optional<HostFacts> cached = JsonFileStateStore.peekFacts(options.stateDir(), name);
        if (cached.isEmpty()) {
            throw new ApiException(unreachable != null ? 503 : 404, unreachable != null ? unreachable
                    : "no facts of '" + name + "': its agent is not connected and no run has gathered them; ask with ?refresh=true");
        }
        Instant at = JsonFileStateStore.peekFactsAt(options.stateDir(), name).orElse(null);
        return answer(name, "cache", cached.get(), at, unreachable);
    }

    private static Map<String, Object> answer(String host, String source, HostFacts facts, Instant at, String why) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("host", host);
        body.put("source", source);
        body.put("gatheredAt", at == null ? null : at.toString());
        body.put("ageSec", at == null ? null : Duration.between(at, Instant.now()).toSeconds());
        if (why != null) {
            body.put("unreachable", why);
        }
        body.put("facts", facts);
        return body;
    }

    /** Re-prepare: the prepare playbook, limited to this one host. */
    RunRequest reprepareRequest(String name, JsonNode body) throws ApiException {
        host(name);
        Map<String, Object> vars = new LinkedHashMap<>(options.prepareVars());
        vars.putAll(ApiVerticle.extraVars(body));
        JsonNode check = body.path("check");
        return new RunRequest(options.preparePlaybook(), name, check.isBoolean() && check.asBoolean(), vars);
    }
}
