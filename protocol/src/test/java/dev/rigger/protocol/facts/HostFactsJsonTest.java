package dev.rigger.protocol.facts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.protocol.ProtocolJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Facts cached by older agents still read back, and the current schema survives a JSON round trip. */
class HostFactsJsonTest {

    /** The example of the first, unversioned facts (as HostFacts' javadoc showed it), with nothing elided. */
    private static final String V1_FACTS = """
            {"hostname":"node1","fqdn":"node1","os":{"family":"debian","name":"Debian GNU/Linux","version":"12","kernel":"6.1.0","arch":"x86_64","glibc":"2.36"},
             "cpuCount":2,"memTotalBytes":25165824000,
             "blockDevices":[{"name":"xvdf","path":"/dev/xvdf","type":"disk","majMin":"7:3","sizeBytes":4294967296,"rotational":false,"readOnly":false,
                              "ptType":"gpt","mountpoints":[],"holders":[],"partitions":[]}],
             "mounts":[{"device":"/dev/xvdf1","mountpoint":"/ecs/uuid-1","fsType":"xfs","options":["rw","noatime"]}],
             "interfaces":[{"name":"eth0","mac":"02:42:ac:1f:00:02","mtu":1500,"up":true,"ipv4":[{"address":"172.31.0.2","prefix":24}],"ipv6":[]}],
             "defaultIpv4":{"interfaceName":"eth0","address":"172.31.0.2","gateway":"172.31.0.1"}}
            """;

    @Test
    void factsWrittenBeforeVersioningReadBackAsSchemaVersionZeroWithEmptyNewFields() throws Exception {
        HostFacts f = ProtocolJson.MAPPER.readValue(V1_FACTS, HostFacts.class);

        assertThat(f.hostname()).isEqualTo("node1");
        assertThat(f.memTotalBytes()).isEqualTo(25165824000L);
        assertThat(f.blockDevices()).extracting(BlockDevice::sizeBytes).containsExactly(4294967296L);
        assertThat(f.defaultIpv4().address()).isEqualTo("172.31.0.2");
        assertThat(f.schemaVersion()).as("no schemaVersion in the JSON").isZero();
        assertThat(f.collectors()).as("null-safe: no collectors known").isEmpty();
        assertThat(f.collector("mounts")).isNull();
        assertThat(f.collectedAt()).isNull();
        assertThat(f.memory()).isNull();
        assertThat(f.dns()).isNull();
        assertThat(f.uptimeSeconds()).isNull();
        MountFact m = f.mounts().get(0);
        assertThat(m.options()).containsExactly("rw", "noatime");
        assertThat(m.sizeBytes()).as("sizes unknown in v1").isNull();
        assertThat(m.availableBytes()).isNull();
        assertThat(m.usedBytes()).isNull();
    }

    @Test
    void missingListsReadBackEmptyRatherThanNull() throws Exception {
        HostFacts f = ProtocolJson.MAPPER.readValue("{\"hostname\":\"node1\"}", HostFacts.class);
        assertThat(f.blockDevices()).isEmpty();
        assertThat(f.mounts()).isEmpty();
        assertThat(f.interfaces()).isEmpty();
        assertThat(f.collectors()).isEmpty();
    }

    @Test
    void currentFactsSurviveAJsonRoundTrip() throws Exception {
        HostFacts f = current();
        String json = ProtocolJson.MAPPER.writeValueAsString(f);
        assertThat(ProtocolJson.MAPPER.readValue(json, HostFacts.class)).isEqualTo(f);
    }

    @Test
    void theJsonHasExactlyTheRecordComponentsAsFields() {
        JsonNode tree = ProtocolJson.toTree(current());
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("helper methods must not leak into the JSON").containsExactly(
                "hostname", "fqdn", "os", "cpuCount", "memTotalBytes", "blockDevices", "mounts", "interfaces",
                "defaultIpv4", "schemaVersion", "collectedAt", "collectors", "memory", "cpuModel",
                "uptimeSeconds", "machineId", "dns");
        assertThat(tree.path("schemaVersion").asInt()).isEqualTo(HostFacts.SCHEMA_VERSION);
        assertThat(tree.path("collectors").path("mounts").path("status").asText()).isEqualTo("partial");
        assertThat(tree.path("collectors").path("os").has("error")).as("null error is left out").isFalse();
        assertThat(tree.path("mounts").get(0).path("availableBytes").asLong()).isEqualTo(700L);
        assertThat(tree.path("mounts").get(1).has("sizeBytes")).as("unknown size is left out").isFalse();
    }

    @Test
    void theUnversionedConstructorGivesSchemaVersionZero() {
        HostFacts f = new HostFacts("h", "h", null, 1, 1, null, null, null, null);
        assertThat(f.schemaVersion()).isZero();
        assertThat(f.collectors()).isEmpty();
        assertThat(f.mounts()).isEmpty();
    }

    private static HostFacts current() {
        Map<String, CollectorStatus> collectors = new LinkedHashMap<>();
        collectors.put("os", CollectorStatus.ok(3));
        collectors.put("mounts", CollectorStatus.partial(2001, "statvfs /mnt/nfs did not return within 2000 ms"));
        collectors.put("dns", CollectorStatus.timedOut(5000, "dns did not finish within 5000 ms"));
        List<MountFact> mounts = List.of(
                new MountFact("/dev/vda1", "/", "ext4", List.of("rw"), 1000L, 700L, 250L),
                new MountFact("srv:/x", "/mnt/nfs", "nfs4", List.of("rw")));
        return new HostFacts("node1", "node1.example", new OsFacts("debian", "Debian GNU/Linux", "12", "6.1.0", "x86_64", "2.36"),
                2, 4096L, List.of(), mounts, List.of(), new DefaultRoute("eth0", "10.0.0.2", "10.0.0.1"),
                HostFacts.SCHEMA_VERSION, "2026-11-26T05:40:12.345Z", collectors,
                new MemoryInfo(1024L, 2048L, 0L, 0L), "Example CPU", 86400L, "0123456789abcdef0123456789abcdef",
                new DnsFacts(List.of("10.0.0.53"), List.of("example"), null, List.of("ndots:2")));
    }
}
