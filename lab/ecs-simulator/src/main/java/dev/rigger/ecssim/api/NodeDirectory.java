package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.boot.HostFacts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The VDC's nodes, one per IPv4 of /host/files/seeds ({@code GET /vdc/nodes}). ECS ≥ 3.1 names nodes
 * by UUID; here the UUID is derived from the IP (name-based), so it is the same on every node and after
 * every restart. {@code isLocal} marks the seed equal to network.json's data_ip.
 */
public final class NodeDirectory {
    public static final String VERSION = "3.9.0.0";

    private final HostFacts facts;

    public NodeDirectory(HostFacts facts) {
        this.facts = facts;
    }

    public void register(ApiRouter router) {
        router.add("GET", "/vdc/nodes", request -> {
            ArrayNode nodes = Json.array();
            for (String ip : facts.seeds()) {
                nodes.add(node(ip));
            }
            return ApiResponse.ok(Json.object().set("node", nodes));
        });
    }

    public static String nodeId(String ip) {
        return UUID.nameUUIDFromBytes(("ecs-node:" + ip).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public List<String> ips() {
        return facts.seeds();
    }

    /** The seed IP a data-store request means, by node UUID. */
    public Optional<String> ipOf(String nodeId) {
        return facts.seeds().stream().filter(ip -> nodeId(ip).equals(nodeId)).findFirst();
    }

    private ObjectNode node(String ip) {
        boolean local = ip.equals(facts.dataIp());
        return Json.object()
                .put("ip", ip)
                .put("version", VERSION)
                .put("rackId", "red")
                .put("nodename", local ? facts.hostname() : ip)
                .put("nodeid", nodeId(ip))
                .put("isLocal", local);
    }
}
