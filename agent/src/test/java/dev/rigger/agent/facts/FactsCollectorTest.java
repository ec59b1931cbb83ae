package dev.rigger.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.exec.CommandTimeoutException;
import dev.rigger.agent.exec.OutputSink;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.agent.testing.Sh;
import dev.rigger.protocol.facts.CollectorStatus;
import dev.rigger.protocol.facts.HostFacts;
import dev.rigger.protocol.facts.MountFact;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A collector that hangs (here: opening a FIFO that has no writer, which blocks in the kernel as a
 * statvfs on a dead NFS server does) costs only its own facts.
 */
class FactsCollectorTest {
    private Path dir;
    private Path fifo;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicInteger readers = new AtomicInteger();

    @BeforeEach
    void makeFifo() throws IOException {
        Prerequisites.requireBinaries("mkfifo");
        dir = Files.createTempDirectory("facts-fifo");
        fifo = dir.resolve("never-written");
        Sh.ok("mkfifo", fifo.toString());
    }

    @AfterEach
    void releaseAndRemoveFifo() throws IOException {
        if (fifo != null) {
            release();
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aCollectorBlockedOnAFifoIsTimedOutWhileTheOthersAreFilled() throws Exception {
        FactsCollector collector = new FactsCollector(
                FactsOptions.defaults().withTimeout("dns", Duration.ofMillis(300)),
                Map.of("dns", deadline -> blockOnFifo()));

        HostFacts f = collector.gather();

        assertThat(f.collector("dns").status()).isEqualTo(CollectorStatus.TIMED_OUT);
        assertThat(f.collector("dns").error()).contains("dns").contains("300 ms");
        assertThat(f.dns()).as("a timed-out collector leaves its field empty").isNull();
        assertThat(f.collectors()).containsOnlyKeys(HostFacts.COLLECTORS);
        HostFacts.COLLECTORS.stream().filter(n -> !n.equals("dns")).forEach(n ->
                assertThat(f.collector(n).status()).as(n + ": " + f.collector(n)).isEqualTo(CollectorStatus.OK));
        assertThat(f.hostname()).isEqualTo(Sh.ok("hostname").strip());
        assertThat(f.memTotalBytes()).isPositive();
        assertThat(f.mounts()).isNotEmpty();
        assertThat(f.os().kernel()).isNotBlank();

        HostFacts again = collector.gather();
        assertThat(again.collector("dns").status()).isEqualTo(CollectorStatus.TIMED_OUT);
        assertThat(again.collector("dns").error()).as("the stuck run is not started a second time")
                .contains("still blocked");

        release();
        assertThat(eventually(collector, "dns").collector("dns").status())
                .as("once its FIFO has a writer the collector runs again").isEqualTo(CollectorStatus.OK);
    }

    @Test
    void aMountWhoseStatvfsBlocksLosesOnlyItsOwnSizes() throws Exception {
        List<MountFact> real = MountFacts.collect();
        String blocked = real.stream().map(MountFact::mountpoint).filter(m -> !m.equals("/")).findFirst().orElseThrow();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "statvfs-test");
            t.setDaemon(true);
            return t;
        });
        try {
            MountSizeProbe probe = new MountSizeProbe(pool, Duration.ofMillis(300), path -> {
                if (path.equals(blocked)) {
                    blockOnFifo();
                }
                return MountSizeProbe.statvfs(path);
            });
            FactsCollector collector = new FactsCollector(FactsOptions.defaults(),
                    Map.of("mounts", deadline -> FactGatherers.mounts(probe, deadline)));

            HostFacts f = collector.gather();

            CollectorStatus mounts = f.collector("mounts");
            assertThat(mounts.status()).isEqualTo(CollectorStatus.PARTIAL);
            assertThat(mounts.error()).contains("statvfs " + blocked).contains("300 ms");
            assertThat(f.mounts()).extracting(MountFact::mountpoint).containsAll(real.stream().map(MountFact::mountpoint).toList());
            f.mounts().forEach(m -> {
                if (m.mountpoint().equals(blocked)) {
                    assertThat(m.sizeBytes()).as("sizes of the blocked mount").isNull();
                } else {
                    assertThat(m.sizeBytes()).as("sizes of " + m.mountpoint() + ", listed after the blocked one too").isNotNull();
                }
            });

            HostFacts again = collector.gather();
            assertThat(again.collector("mounts").error()).as("a mount still blocked is skipped, not waited for again")
                    .contains("blocked since an earlier gather");
        } finally {
            release();
            pool.shutdownNow();
        }
    }

    @Test
    void rootMountSizesAgreeWithDf() {
        Prerequisites.requireBinaries("df");
        HostFacts f = FactsCollector.collect();
        String[] df = Sh.ok("df", "-B1", "--output=size,avail,used", "/").lines().skip(1).findFirst().orElseThrow()
                .strip().split("\\s+");
        long size = Long.parseLong(df[0]);
        long avail = Long.parseLong(df[1]);
        long used = Long.parseLong(df[2]);
        // the last mount on / is the one df reports; others (a build, docker) may write meanwhile
        MountFact root = f.mounts().stream().filter(m -> m.mountpoint().equals("/")).reduce((a, b) -> b).orElseThrow();
        long tolerance = Math.max(64L << 20, size / 100);
        assertThat(root.sizeBytes()).as("df size of /").isCloseTo(size, offset(1L << 20));
        assertThat(root.availableBytes()).as("df avail of /").isCloseTo(avail, offset(tolerance));
        assertThat(root.usedBytes()).as("df used of /").isCloseTo(used, offset(tolerance));
    }

    @Test
    void memoryAgreesWithProcMeminfo() throws Exception {
        HostFacts f = FactsCollector.collect();
        Map<String, Long> kb = meminfoKb();
        long slack = kb.get("MemTotal") * 1024 / 20;   // free and available move while we look
        assertThat(f.memTotalBytes()).isEqualTo(kb.get("MemTotal") * 1024);
        assertThat(f.memory().freeBytes()).isCloseTo(kb.get("MemFree") * 1024, offset(slack));
        assertThat(f.memory().availableBytes()).isCloseTo(kb.get("MemAvailable") * 1024, offset(slack));
        assertThat(f.memory().swapTotalBytes()).isEqualTo(kb.get("SwapTotal") * 1024);
        assertThat(f.memory().swapFreeBytes()).isCloseTo(kb.get("SwapFree") * 1024, offset(slack));
        assertThat(f.memory().availableBytes()).as("available never exceeds total").isLessThanOrEqualTo(f.memTotalBytes());
    }

    @Test
    void nameserversAndSearchAgreeWithResolvConf() {
        Prerequisites.requireBinaries("awk");
        HostFacts f = FactsCollector.collect();
        List<String> nameservers = Sh.ok("awk", "$1 == \"nameserver\" { print $2 }", "/etc/resolv.conf").lines().toList();
        List<String> search = Sh.ok("awk", "$1 == \"search\" || $1 == \"domain\" { $1 = \"\"; s = $0 } END { print s }",
                "/etc/resolv.conf").lines().flatMap(l -> List.of(l.strip().split("\\s+")).stream()).filter(w -> !w.isEmpty()).toList();
        assertThat(nameservers).as("this machine's resolv.conf names a nameserver").isNotEmpty();
        assertThat(f.dns().nameservers()).containsExactlyElementsOf(nameservers);
        assertThat(f.dns().search()).containsExactlyElementsOf(search);
    }

    @Test
    void aGatherCarriesTheSchemaVersionItsStartAndEveryCollector() {
        Instant before = Instant.now().minusMillis(1);
        HostFacts f = new FactsCollector(FactsOptions.defaults()).gather();
        assertThat(f.schemaVersion()).isEqualTo(HostFacts.SCHEMA_VERSION);
        assertThat(Instant.parse(f.collectedAt())).isBetween(before, Instant.now());
        assertThat(f.collectors().keySet()).containsExactlyElementsOf(HostFacts.COLLECTORS);
        assertThat(f.cpuModel()).as("/proc/cpuinfo of this machine names its model").isNotBlank();
        assertThat(f.uptimeSeconds()).isPositive();
        assertThat(f.machineId()).isEqualTo(firstExisting("/etc/machine-id", "/var/lib/dbus/machine-id"));
    }

    @Test
    void aTimeoutForACollectorThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> FactsOptions.defaults().withTimeout("disks", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disks").hasMessageContaining("blockDevices");
    }

    private Gathered blockOnFifo() throws IOException {
        if (released.get()) {
            return Gathered.of(d -> { });
        }
        // open(2) of a FIFO for reading waits for a writer, inside the kernel, deaf to interrupts
        readers.incrementAndGet();
        try (InputStream in = Files.newInputStream(fifo)) {
            in.read();
        } finally {
            readers.decrementAndGet();
        }
        return Gathered.of(d -> { });
    }

    /** Gives every reader stuck in open(2) its writer; a writer with no reader left is killed at its deadline. */
    private void release() {
        released.set(true);
        if (readers.get() == 0) {
            return;
        }
        try {
            CommandRunner.run(CommandSpec.of("sh", "-c", "exec 3> \"$0\"", fifo.toString()), OutputSink.DISCARD,
                    Instant.now().plusSeconds(1));
        } catch (CommandTimeoutException e) {
            // no reader was waiting
        }
    }

    private static HostFacts eventually(FactsCollector collector, String name) throws InterruptedException {
        HostFacts f = collector.gather();
        for (int i = 0; i < 50 && !f.collector(name).status().equals(CollectorStatus.OK); i++) {
            Thread.sleep(100);
            f = collector.gather();
        }
        return f;
    }

    private static Map<String, Long> meminfoKb() throws IOException {
        Map<String, Long> kb = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            String[] f = line.split(":\\s+");
            kb.put(f[0], Long.parseLong(f[1].split("\\s+")[0]));
        }
        return kb;
    }

    private static String firstExisting(String... paths) {
        for (String p : paths) {
            try {
                String s = Files.readString(Path.of(p)).strip();
                if (!s.isEmpty()) {
                    return s;
                }
            } catch (IOException e) {
                // try the next
            }
        }
        return null;
    }
}
