package dev.rigger.agent.facts;

import dev.rigger.protocol.facts.BlockDevice;
import dev.rigger.protocol.facts.CollectorStatus;
import dev.rigger.protocol.facts.DefaultRoute;
import dev.rigger.protocol.facts.DnsFacts;
import dev.rigger.protocol.facts.HostFacts;
import dev.rigger.protocol.facts.MemoryInfo;
import dev.rigger.protocol.facts.MountFact;
import dev.rigger.protocol.facts.NetInterface;
import dev.rigger.protocol.facts.OsFacts;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The facts of one gather while collectors report in; what no collector filled stays empty, null or 0. */
final class FactsDraft {
    String hostname;
    String fqdn;
    OsFacts os;
    int cpuCount;
    long memTotalBytes;
    List<BlockDevice> blockDevices = List.of();
    List<MountFact> mounts = List.of();
    List<NetInterface> interfaces = List.of();
    DefaultRoute defaultIpv4;
    MemoryInfo memory;
    String cpuModel;
    Long uptimeSeconds;
    String machineId;
    DnsFacts dns;

    HostFacts build(String collectedAt, Map<String, CollectorStatus> collectors) {
        // kept in collector order, which is the order people read them in
        Map<String, CollectorStatus> ordered = Collections.unmodifiableMap(new LinkedHashMap<>(collectors));
        return new HostFacts(hostname, fqdn, os, cpuCount, memTotalBytes, blockDevices, mounts, interfaces,
                defaultIpv4, HostFacts.SCHEMA_VERSION, collectedAt, ordered, memory, cpuModel, uptimeSeconds,
                machineId, dns);
    }
}
