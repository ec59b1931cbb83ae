package dev.rigger.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.protocol.facts.DefaultRoute;
import dev.rigger.protocol.facts.DnsFacts;
import dev.rigger.protocol.facts.IpAddress;
import dev.rigger.protocol.facts.MemoryInfo;
import dev.rigger.protocol.facts.MountFact;
import dev.rigger.protocol.facts.NetInterface;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactParsersTest {

    @Test
    void memTotalIsTheMeminfoKilobytesTimes1024() {
        assertThat(MemoryFacts.parse(Fixtures.read("facts/meminfo.txt"))).isEqualTo(24684084L * 1024);
        assertThat(MemoryFacts.parse("MemFree: 1 kB\n")).as("no MemTotal line").isZero();
    }

    @Test
    void osReleaseValuesLoseTheirQuotes() {
        Map<String, String> r = OperatingSystemFacts.parseOsRelease(Fixtures.read("facts/os-release.txt"));
        assertThat(r).containsEntry("ID", "debian").containsEntry("VERSION_ID", "12").containsEntry("NAME", "Debian GNU/Linux");
    }

    @Test
    void glibcVersionIsTheLastWordOfLddOrGetconf() {
        assertThat(OperatingSystemFacts.parseGlibc("ldd (Debian GLIBC 2.36-9+deb12u10) 2.36")).isEqualTo("2.36");
        assertThat(OperatingSystemFacts.parseGlibc("glibc 2.39")).isEqualTo("2.39");
        assertThat(OperatingSystemFacts.parseGlibc("musl libc (x86_64)")).as("not glibc").isNull();
    }

    @Test
    void mountsAreParsedWithOctalEscapesDecoded() {
        List<MountFact> mounts = MountFacts.parse(Fixtures.read("facts/mounts.txt"));
        assertThat(mounts).hasSize(5);
        assertThat(mounts.get(3)).isEqualTo(new MountFact("/dev/loop3p1", "/ecs/uuid-136f2653-6402-4207-bde8-98d20ebc5b95",
                "xfs", List.of("rw", "noatime", "inode64", "logbufs=8", "logbsize=32k", "noquota")));
        assertThat(mounts.get(4).mountpoint()).isEqualTo("/mnt/with space");
    }

    @Test
    void mountinfoGivesTheDeviceNumberOfEachMountEvenWithOptionalFields() {
        List<MountInfoEntry> info = MountFacts.parseMountInfo(Fixtures.read("facts/mountinfo.txt"));
        assertThat(info).hasSize(5);
        assertThat(info.get(3)).isEqualTo(new MountInfoEntry("259:3", "/ecs/uuid-136f2653-6402-4207-bde8-98d20ebc5b95",
                "xfs", "/dev/loop3p1", "rw,noatime"));
        assertThat(info.get(4).majMin()).isEqualTo("7:4");
        assertThat(info.get(4).mountpoint()).isEqualTo("/mnt/with space");
        assertThat(info.get(4).fsType()).as("after the optional fields and the dash").isEqualTo("ext4");
    }

    @Test
    void escapingAPathForFstabIsUndoneByUnescape() {
        String path = "/mnt/a b\\c";
        assertThat(MountFacts.escape(path)).isEqualTo("/mnt/a\\040b\\134c");
        assertThat(MountFacts.unescape(MountFacts.escape(path))).isEqualTo(path);
    }

    @Test
    void blkidExportOfAnXfsPartitionHasTypeUuidAndPartuuid() {
        Map<String, String> p = BlkidFacts.parse(Fixtures.read("facts/blkid-xfs-partition.txt"));
        assertThat(p).containsEntry("TYPE", "xfs")
                .containsEntry("UUID", "5f0e1c1a-8d39-4b8e-9a53-0f1f0a3c2b11")
                .containsEntry("PART_ENTRY_UUID", "136f2653-6402-4207-bde8-98d20ebc5b95");
        assertThat(BlkidFacts.parse(Fixtures.read("facts/blkid-gpt-disk.txt"))).containsEntry("PTTYPE", "gpt").doesNotContainKey("TYPE");
        assertThat(BlkidFacts.parse("")).as("blank device").isEmpty();
    }

    @Test
    void ipJsonGivesInterfacesWithAddressesPrefixesAndUpFlag() throws Exception {
        List<NetInterface> nics = NetworkFacts.parseIpJson(Fixtures.read("facts/ip-addr.json"));
        NetInterface lo = nics.stream().filter(n -> n.name().equals("lo")).findFirst().orElseThrow();
        assertThat(lo.up()).as("lo is UNKNOWN in operstate but has the UP flag").isTrue();
        assertThat(lo.ipv4()).containsExactly(new IpAddress("127.0.0.1", 8));
        assertThat(lo.ipv6()).containsExactly(new IpAddress("::1", 128));
        NetInterface eth0 = nics.stream().filter(n -> n.name().equals("eth0")).findFirst().orElseThrow();
        assertThat(eth0.mac()).isEqualTo("02:fc:00:00:00:01");
        assertThat(eth0.mtu()).isEqualTo(1400);
        assertThat(eth0.ipv4()).containsExactly(new IpAddress("192.0.2.2", 24));
        NetInterface ifb0 = nics.stream().filter(n -> n.name().equals("ifb0")).findFirst().orElseThrow();
        assertThat(ifb0.up()).isFalse();
        assertThat(ifb0.ipv4()).isEmpty();
    }

    @Test
    void defaultRouteComesFromProcNetRouteWithTheInterfacesFirstIpv4() throws Exception {
        List<NetInterface> nics = NetworkFacts.parseIpJson(Fixtures.read("facts/ip-addr.json"));
        DefaultRoute route = NetworkFacts.defaultRoute(Fixtures.read("facts/net-route.txt"), nics);
        assertThat(route).isEqualTo(new DefaultRoute("eth0", "192.0.2.2", "192.0.2.1"));
        assertThat(NetworkFacts.defaultRoute("Iface\tDestination\tGateway\n", nics)).as("no default route").isNull();
    }

    @Test
    void meminfoGivesFreeAvailableAndSwapInBytes() {
        MemoryInfo m = MemoryFacts.parseInfo(Fixtures.read("facts/meminfo.txt"));
        assertThat(m.freeBytes()).isEqualTo(23388760L * 1024);
        assertThat(m.availableBytes()).isEqualTo(23909132L * 1024);
        assertThat(m.swapTotalBytes()).isZero();
        assertThat(m.swapFreeBytes()).isZero();
        assertThat(MemoryFacts.parseInfo("MemTotal: 2048 kB\nMemFree: 1024 kB\n").availableBytes())
                .as("a kernel older than 3.14 has no MemAvailable").isNull();
    }

    @Test
    void resolvConfGivesNameserversInOrderTheLastSearchOrDomainAndEveryOption() {
        DnsFacts dns = ResolverFacts.parse(Fixtures.read("facts/resolv.conf"));
        assertThat(dns.nameservers()).containsExactly("10.0.0.2", "fd00::53");
        assertThat(dns.search()).as("search came after domain, so it wins").containsExactly("ec2.internal", "example.org");
        assertThat(dns.domain()).isNull();
        assertThat(dns.options()).containsExactly("ndots:2", "timeout:1", "rotate");
        DnsFacts domainLast = ResolverFacts.parse("search a.example b.example\ndomain corp.example\n");
        assertThat(domainLast.domain()).isEqualTo("corp.example");
        assertThat(domainLast.search()).containsExactly("corp.example");
        assertThat(ResolverFacts.parse("# nothing\n").nameservers()).isEmpty();
    }

    @Test
    void cpuModelIsTheModelNameOnX86AndTheModelLineOnARaspberryPi() {
        assertThat(CpuFacts.parseModel(Fixtures.read("facts/cpuinfo-x86.txt"))).isEqualTo("Intel(R) Xeon(R) Processor");
        assertThat(CpuFacts.parseModel(Fixtures.read("facts/cpuinfo-rpi4.txt"))).isEqualTo("Raspberry Pi 4 Model B Rev 1.1");
        assertThat(CpuFacts.parseModel("processor\t: 0\nBogoMIPS\t: 50.00\n")).as("arm64 without a model line").isNull();
    }

    @Test
    void uptimeIsTheFirstNumberOfProcUptimeRoundedDown() {
        assertThat(OperatingSystemFacts.parseUptime("10406.93 20123.50\n")).isEqualTo(10406L);
        assertThat(OperatingSystemFacts.parseUptime("")).isNull();
        assertThat(OperatingSystemFacts.parseUptime("garbage")).isNull();
    }
}
