package dev.rigger.agent.facts;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.exec.CommandTimeoutException;
import dev.rigger.agent.exec.OutputSink;
import dev.rigger.protocol.facts.HostFacts;
import dev.rigger.protocol.facts.NetInterface;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Gathers {@link HostFacts}. Read-only: it runs only probes ({@code blkid -p}, {@code ip -j addr},
 * {@code getconf}, {@code hostname -f}) and reads /proc, /sys and /dev.
 */
public final class FactsCollector {
    private FactsCollector() {
    }

    public static HostFacts collect() {
        String hostname = hostname();
        List<NetInterface> interfaces = NetworkFacts.collectInterfaces();
        List<MountInfoEntry> mountInfo = MountFacts.collectInfo();
        return new HostFacts(hostname, fqdn(hostname), OperatingSystemFacts.collect(),
                Runtime.getRuntime().availableProcessors(), MemoryFacts.collect(),
                BlockDeviceFacts.collect(mountInfo), MountFacts.collect(), interfaces,
                NetworkFacts.collectDefaultRoute(interfaces));
    }

    static String hostname() {
        String name = SysFiles.read(Path.of("/proc/sys/kernel/hostname"));
        return name != null ? name : "localhost";
    }

    private static String fqdn(String hostname) {
        // hostname -f asks the resolver (files first on every Debian/Ubuntu host); a short deadline keeps
        // a broken DNS setup from stalling the hello
        try {
            CommandOutcome out = CommandRunner.run(CommandSpec.of("hostname", "-f"), OutputSink.DISCARD,
                    Instant.now().plusSeconds(3));
            String fqdn = out.ok() ? out.stdout().strip() : "";
            return fqdn.isEmpty() ? hostname : fqdn;
        } catch (CommandTimeoutException e) {
            return hostname;
        }
    }
}
