package dev.rigger.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.testing.Sh;
import dev.rigger.protocol.facts.HostFacts;
import dev.rigger.protocol.facts.NetInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Facts gathered on this machine agree with what its own tools say. */
class HostFactsTest {

    @Test
    void factsAgreeWithNprocHostnameAndMeminfo() throws Exception {
        HostFacts f = FactsCollector.collect();
        assertThat(f.cpuCount()).as("nproc").isEqualTo(Integer.parseInt(Sh.ok("nproc").strip()));
        assertThat(f.hostname()).as("hostname").isEqualTo(Sh.ok("hostname").strip());
        assertThat(f.memTotalBytes()).isEqualTo(MemoryFacts.parse(Files.readString(Path.of("/proc/meminfo"))));
        assertThat(f.os().kernel()).isEqualTo(Sh.ok("uname", "-r").strip());
        assertThat(f.os().arch()).isEqualTo(Sh.ok("uname", "-m").strip());
    }

    @Test
    void everyBlockDeviceSizeIsItsSysfsSectorCountTimes512() throws Exception {
        HostFacts f = FactsCollector.collect();
        assertThat(f.blockDevices()).as("this machine has at least its root disk").isNotEmpty();
        for (var d : f.blockDevices()) {
            long sectors = Long.parseLong(Files.readString(Path.of("/sys/dev/block/" + d.majMin() + "/size")).strip());
            assertThat(d.sizeBytes()).as(d.path()).isEqualTo(sectors * 512);
            assertThat(BlockDeviceFacts.majMin(Path.of(d.path()))).as("the /dev node of " + d.name()).isEqualTo(d.majMin());
        }
    }

    @Test
    void interfacesAreThoseThatIpLists() throws Exception {
        // containers come and go on this machine while the test runs: the facts lie between two listings
        Set<String> before = ipNames();
        HostFacts f = FactsCollector.collect();
        Set<String> after = ipNames();
        Set<String> either = new HashSet<>(before);
        either.addAll(after);
        Set<String> both = new HashSet<>(before);
        both.retainAll(after);
        List<String> names = f.interfaces().stream().map(NetInterface::name).toList();
        assertThat(names).as("listed by ip before or after").isSubsetOf(either);
        assertThat(names).as("listed by ip before and after").containsAll(both);
        assertThat(names).contains("lo");
    }

    private static Set<String> ipNames() throws Exception {
        return NetworkFacts.parseIpJson(Sh.ok("ip", "-j", "addr")).stream().map(NetInterface::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
