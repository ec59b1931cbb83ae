package dev.rigger.protocol.facts;

import java.util.List;

/**
 * What the agent reports about its host. Templates read it as {@code facts.<field>}, e.g.
 * {@code {{ facts.defaultIpv4.address }}} or {@code {{ facts.hostname }}}.
 *
 * <pre>{@code
 * {"hostname":"node1","fqdn":"node1","os":{"family":"debian","name":"Debian GNU/Linux","version":"12","kernel":"6.1.0","arch":"x86_64","glibc":"2.36"},
 *  "cpuCount":2,"memTotalBytes":25165824000,
 *  "blockDevices":[{"name":"xvdf","path":"/dev/xvdf","type":"disk","sizeBytes":4294967296,...}],
 *  "mounts":[{"device":"/dev/xvdf1","mountpoint":"/ecs/uuid-...","fsType":"xfs","options":["rw","noatime"]}],
 *  "interfaces":[{"name":"eth0","mac":"02:42:ac:1f:00:02","mtu":1500,"up":true,"ipv4":[{"address":"172.31.0.2","prefix":24}],"ipv6":[]}],
 *  "defaultIpv4":{"interfaceName":"eth0","address":"172.31.0.2","gateway":"172.31.0.1"}}
 * }</pre>
 */
public record HostFacts(String hostname, String fqdn, OsFacts os, int cpuCount, long memTotalBytes,
                        List<BlockDevice> blockDevices, List<MountFact> mounts,
                        List<NetInterface> interfaces, DefaultRoute defaultIpv4) {
}
