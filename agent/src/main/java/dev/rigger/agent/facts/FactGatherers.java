package dev.rigger.agent.facts;

import dev.rigger.agent.exec.CommandTimeoutException;
import dev.rigger.protocol.facts.BlockDevice;
import dev.rigger.protocol.facts.DefaultRoute;
import dev.rigger.protocol.facts.DnsFacts;
import dev.rigger.protocol.facts.MemoryInfo;
import dev.rigger.protocol.facts.MountFact;
import dev.rigger.protocol.facts.NetInterface;
import dev.rigger.protocol.facts.OsFacts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The eight collectors, by name. Each reads its own files and runs its own probes, so none waits for
 * another; a command a collector runs is killed at its deadline and what was found without it is kept.
 */
final class FactGatherers {
    private FactGatherers() {
    }

    static Map<String, FactGatherer> standard(MountSizeProbe mountSizes) {
        Map<String, FactGatherer> g = new LinkedHashMap<>();
        g.put("os", FactGatherers::os);
        g.put("memory", deadline -> memory());
        g.put("cpu", deadline -> cpu());
        g.put("blockDevices", FactGatherers::blockDevices);
        g.put("mounts", deadline -> mounts(mountSizes, deadline));
        g.put("network", FactGatherers::network);
        g.put("dns", deadline -> dns());
        g.put("identity", FactGatherers::identity);
        return g;
    }

    static Gathered os(Instant deadline) {
        Long uptime = OperatingSystemFacts.uptimeSeconds();
        OsFacts withoutGlibc = OperatingSystemFacts.collectWithoutGlibc();
        String glibc = null;
        String missing = null;
        try {
            glibc = OperatingSystemFacts.glibc(deadline);
        } catch (CommandTimeoutException e) {
            missing = "glibc: " + e.getMessage();
        }
        OsFacts os = OperatingSystemFacts.withGlibc(withoutGlibc, glibc);
        return new Gathered(d -> {
            d.os = os;
            d.uptimeSeconds = uptime;
        }, missing);
    }

    static Gathered memory() {
        String meminfo = SysFiles.readOrEmpty(Path.of("/proc/meminfo"));
        long total = MemoryFacts.parse(meminfo);
        MemoryInfo info = MemoryFacts.parseInfo(meminfo);
        if (total == 0) {
            return Gathered.partial(d -> d.memory = info, "/proc/meminfo has no MemTotal line");
        }
        return Gathered.of(d -> {
            d.memTotalBytes = total;
            d.memory = info;
        });
    }

    static Gathered cpu() {
        int count = Runtime.getRuntime().availableProcessors();
        String model = CpuFacts.collectModel();
        // a model that /proc/cpuinfo does not name (many arm64 kernels) is unknown, not a failure
        return Gathered.of(d -> {
            d.cpuCount = count;
            d.cpuModel = model;
        });
    }

    static Gathered blockDevices(Instant deadline) {
        List<String> unprobed = new ArrayList<>();
        List<BlockDevice> devices = BlockDeviceFacts.collect(MountFacts.collectInfo(), deadline, unprobed);
        return new Gathered(d -> d.blockDevices = devices,
                unprobed.isEmpty() ? null : "blkid -p did not finish in time for " + String.join(", ", unprobed));
    }

    static Gathered mounts(MountSizeProbe sizes, Instant deadline) throws InterruptedException {
        List<MountFact> mounts = MountFacts.collect();
        MountSizeProbe.Result found = sizes.probe(mounts.stream().map(MountFact::mountpoint).toList(), deadline);
        List<MountFact> sized = mounts.stream().map(m -> {
            MountSizeProbe.MountSizes s = found.sizes().get(m.mountpoint());
            return s == null ? m : m.withSizes(s.sizeBytes(), s.availableBytes(), s.usedBytes());
        }).toList();
        return new Gathered(d -> d.mounts = sized,
                found.givenUp().isEmpty() ? null : String.join("; ", found.givenUp().values()));
    }

    static Gathered network(Instant deadline) {
        List<NetInterface> interfaces;
        String missing = null;
        try {
            interfaces = NetworkFacts.collectInterfaces(deadline);
        } catch (CommandTimeoutException e) {
            interfaces = NetworkFacts.fromJdk();
            missing = e.getMessage() + "; the interfaces are the JDK's view";
        }
        List<NetInterface> found = interfaces;
        DefaultRoute route = NetworkFacts.collectDefaultRoute(found);
        return new Gathered(d -> {
            d.interfaces = found;
            d.defaultIpv4 = route;
        }, missing);
    }

    static Gathered dns() {
        // no resolv.conf is a valid setup (the resolver then asks 127.0.0.1): dns is null, not missing
        DnsFacts dns = ResolverFacts.collect();
        return Gathered.of(d -> d.dns = dns);
    }

    static Gathered identity(Instant deadline) {
        String hostname = IdentityFacts.hostname();
        String machineId = IdentityFacts.machineId();
        String fqdn;
        String missing = null;
        try {
            fqdn = IdentityFacts.fqdn(hostname, deadline);
        } catch (CommandTimeoutException e) {
            fqdn = hostname;
            missing = "fqdn: " + e.getMessage() + "; fqdn is the hostname";
        }
        String found = fqdn;
        return new Gathered(d -> {
            d.hostname = hostname;
            d.fqdn = found;
            d.machineId = machineId;
        }, missing);
    }
}
