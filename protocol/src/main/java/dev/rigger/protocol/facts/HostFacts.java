package dev.rigger.protocol.facts;

import java.util.List;
import java.util.Map;

/**
 * What the agent reports about its host, schema version {@value #SCHEMA_VERSION} (docs/facts.md lists
 * every field with its unit and source). Templates read it as {@code facts.<field>}, e.g.
 * {@code {{ facts.defaultIpv4.address }}} or {@code {{ facts.hostname }}}.
 *
 * <p>Components are only ever appended, never renamed, so templates and cached facts stay readable:
 * facts written before schema version 2 (the first nine components only) read back with
 * {@code schemaVersion} 0, empty {@code collectors} and null for the other new components.
 *
 * <p>Each collector fills its own fields; {@code collectors} says how each fared. When one timed out or
 * failed its lists are empty, its objects null and its numbers 0, while the other collectors' fields
 * are filled as usual.
 *
 * <pre>{@code
 * {"hostname":"node1","fqdn":"node1","os":{"family":"debian","name":"Debian GNU/Linux","version":"12","kernel":"6.1.0","arch":"x86_64","glibc":"2.36"},
 *  "cpuCount":2,"memTotalBytes":25165824000,
 *  "blockDevices":[{"name":"xvdf","path":"/dev/xvdf","type":"disk","sizeBytes":4294967296,...}],
 *  "mounts":[{"device":"/dev/xvdf1","mountpoint":"/ecs/uuid-...","fsType":"xfs","options":["rw","noatime"],
 *             "sizeBytes":4284481536,"availableBytes":4250927104,"usedBytes":33554432}],
 *  "interfaces":[{"name":"eth0","mac":"02:42:ac:1f:00:02","mtu":1500,"up":true,"ipv4":[{"address":"172.31.0.2","prefix":24}],"ipv6":[]}],
 *  "defaultIpv4":{"interfaceName":"eth0","address":"172.31.0.2","gateway":"172.31.0.1"},
 *  "schemaVersion":2,"collectedAt":"2026-11-26T05:40:12.345Z",
 *  "collectors":{"os":{"status":"ok","tookMs":4},"mounts":{"status":"partial","tookMs":2003,"error":"statvfs /mnt/nfs did not return within 2000 ms"},...},
 *  "memory":{"freeBytes":1048576000,"availableBytes":20971520000,"swapTotalBytes":0,"swapFreeBytes":0},
 *  "cpuModel":"Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz","uptimeSeconds":86400,
 *  "machineId":"4c4c4544004a4d1080...","dns":{"nameservers":["172.31.0.2"],"search":["ec2.internal"],"options":[]}}
 * }</pre>
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} when gathered by this agent; 0 for facts from before versioning
 * @param collectedAt   ISO-8601 instant the gather started
 * @param collectors    collector name ({@link #COLLECTORS}) → how it fared
 * @param memory        free and available memory, swap; null when the memory collector did not finish
 * @param cpuModel      the {@code model name} of the first processor in /proc/cpuinfo
 * @param uptimeSeconds whole seconds since boot, from /proc/uptime
 * @param machineId     /etc/machine-id (systemd's stable host id)
 * @param dns           resolver configuration from /etc/resolv.conf
 */
public record HostFacts(String hostname, String fqdn, OsFacts os, int cpuCount, long memTotalBytes,
                        List<BlockDevice> blockDevices, List<MountFact> mounts,
                        List<NetInterface> interfaces, DefaultRoute defaultIpv4,
                        int schemaVersion, String collectedAt, Map<String, CollectorStatus> collectors,
                        MemoryInfo memory, String cpuModel, Long uptimeSeconds, String machineId,
                        DnsFacts dns) {

    /** The version this code writes. 1 was the unversioned first nine components; 2 added the rest. */
    public static final int SCHEMA_VERSION = 2;

    /** The collectors, in the order docs/facts.md describes them. */
    public static final List<String> COLLECTORS =
            List.of("os", "memory", "cpu", "blockDevices", "mounts", "network", "dns", "identity");

    public HostFacts {
        blockDevices = blockDevices == null ? List.of() : blockDevices;
        mounts = mounts == null ? List.of() : mounts;
        interfaces = interfaces == null ? List.of() : interfaces;
        collectors = collectors == null ? Map.of() : collectors;
    }

    /** Facts of the first, unversioned shape (schema version 0): no collectors, no new fields. */
    public HostFacts(String hostname, String fqdn, OsFacts os, int cpuCount, long memTotalBytes,
                     List<BlockDevice> blockDevices, List<MountFact> mounts,
                     List<NetInterface> interfaces, DefaultRoute defaultIpv4) {
        this(hostname, fqdn, os, cpuCount, memTotalBytes, blockDevices, mounts, interfaces, defaultIpv4,
                0, null, Map.of(), null, null, null, null, null);
    }

    /** How the named collector fared, or null when these facts do not say (schema version 0). */
    public CollectorStatus collector(String name) {
        return collectors.get(name);
    }
}
