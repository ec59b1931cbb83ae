package dev.rigger.ecssim.boot;

import java.util.List;

/** What the start-up checks learned about this node: its addresses, its peers and its storage. */
public record HostFacts(String hostname, String dataIp, String mgmtIp, List<String> seeds, String agentId,
                        List<String> xfsMounts) {
}
