package dev.rigger.protocol.facts;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks every field of a {@link HostFacts} against its shape ({@link FactShapes}); docs/facts.md lists
 * the rule of each field. A null string or number means "not gathered" and passes; a value that is there
 * must have its shape. The answer names each bad field by its JSON pointer and shows its value quoted.
 *
 * <pre>{@code
 * List<FactsCheck.Problem> problems = FactsCheck.problems(facts);
 * // [/defaultIpv4/address: expected an IPv4 address, got "10.0.0.1\n6.6.6.6 node1"]
 * }</pre>
 */
public final class FactsCheck {
    /** At most this many problems are described; a hostile report may hold thousands. */
    static final int MAX_PROBLEMS = 20;
    private static final Set<String> STATUSES = Set.of(CollectorStatus.OK, CollectorStatus.PARTIAL,
            CollectorStatus.TIMED_OUT, CollectorStatus.FAILED);

    /** One field that does not have its shape. */
    public record Problem(String pointer, String expected, String value) {
        @Override
        public String toString() {
            return pointer + ": expected " + expected + ", got " + value;
        }
    }

    private final List<Problem> problems = new ArrayList<>();
    private int count;

    private FactsCheck() {
    }

    /** Every field of {@code facts} that does not have its shape (the first {@value #MAX_PROBLEMS}); empty when all do. */
    public static List<Problem> problems(HostFacts facts) {
        FactsCheck c = new FactsCheck();
        if (facts != null) {
            c.host(facts);
        }
        return List.copyOf(c.problems);
    }

    /** The problems in one line: {@code /a: expected ..., got "..."; /b: ...}, with how many more there were. */
    public static String describe(List<Problem> problems) {
        StringBuilder b = new StringBuilder();
        for (Problem p : problems) {
            b.append(b.length() == 0 ? "" : "; ").append(p);
        }
        return b.toString();
    }

    private void host(HostFacts f) {
        check("/hostname", f.hostname(), FactShapes::isHostName, "a host name (RFC 1123)");
        check("/fqdn", f.fqdn(), FactShapes::isHostName, "a host name (RFC 1123)");
        if (f.os() != null) {
            OsFacts os = f.os();
            check("/os/family", os.family(), s -> FactShapes.isToken(s, 64), "an os-release ID");
            check("/os/name", os.name(), s -> FactShapes.isText(s, FactShapes.TEXT_MAX), "one line of text");
            check("/os/version", os.version(), s -> FactShapes.isText(s, FactShapes.TEXT_MAX), "one line of text");
            check("/os/kernel", os.kernel(), s -> FactShapes.isToken(s, 256), "a kernel release");
            check("/os/arch", os.arch(), s -> FactShapes.isToken(s, 64), "an architecture name");
            check("/os/glibc", os.glibc(), s -> FactShapes.isToken(s, 64), "a version");
        }
        atLeastZero("/cpuCount", f.cpuCount());
        atLeastZero("/memTotalBytes", f.memTotalBytes());
        List<BlockDevice> devices = f.blockDevices();
        for (int i = 0; i < devices.size(); i++) {
            blockDevice("/blockDevices/" + i, devices.get(i));
        }
        List<MountFact> mounts = f.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            mount("/mounts/" + i, mounts.get(i));
        }
        List<NetInterface> interfaces = f.interfaces();
        for (int i = 0; i < interfaces.size(); i++) {
            netInterface("/interfaces/" + i, interfaces.get(i));
        }
        if (f.defaultIpv4() != null) {
            DefaultRoute r = f.defaultIpv4();
            check("/defaultIpv4/interfaceName", r.interfaceName(), FactShapes::isInterfaceName, "an interface name");
            check("/defaultIpv4/address", r.address(), FactShapes::isIpv4, "an IPv4 address");
            check("/defaultIpv4/gateway", r.gateway(), FactShapes::isIpv4, "an IPv4 address");
        }
        atLeastZero("/schemaVersion", f.schemaVersion());
        if (f.collectedAt() != null && !isInstant(f.collectedAt())) {
            problem("/collectedAt", "an ISO-8601 instant", f.collectedAt());
        }
        for (Map.Entry<String, CollectorStatus> e : f.collectors().entrySet()) {
            collector(e.getKey(), e.getValue());
        }
        if (f.memory() != null) {
            MemoryInfo m = f.memory();
            atLeastZero("/memory/freeBytes", m.freeBytes());
            atLeastZero("/memory/availableBytes", m.availableBytes());
            atLeastZero("/memory/swapTotalBytes", m.swapTotalBytes());
            atLeastZero("/memory/swapFreeBytes", m.swapFreeBytes());
        }
        check("/cpuModel", f.cpuModel(), s -> FactShapes.isText(s, FactShapes.TEXT_MAX), "one line of text");
        atLeastZero("/uptimeSeconds", f.uptimeSeconds());
        check("/machineId", f.machineId(), s -> FactShapes.isAlphanumeric(s, 128), "a machine id (letters and digits)");
        if (f.dns() != null) {
            dns(f.dns());
        }
    }

    private void blockDevice(String at, BlockDevice d) {
        if (d == null) {
            problem(at, "a block device", null);
            return;
        }
        check(at + "/name", d.name(), FactShapes::isDeviceName, "a device name");
        check(at + "/path", d.path(), FactShapes::isDevicePath, "a canonical path under /dev/");
        check(at + "/type", d.type(), s -> FactShapes.isToken(s, 16), "a device type");
        check(at + "/majMin", d.majMin(), FactShapes::isMajorMinor, "major:minor");
        atLeastZero(at + "/sizeBytes", d.sizeBytes());
        check(at + "/model", d.model(), s -> FactShapes.isText(s, FactShapes.TEXT_MAX), "one line of text");
        check(at + "/serial", d.serial(), s -> FactShapes.isText(s, FactShapes.TEXT_MAX), "one line of text");
        check(at + "/fsType", d.fsType(), s -> FactShapes.isToken(s, 64), "a filesystem type");
        check(at + "/uuid", d.uuid(), FactShapes::isUuid, "a UUID");
        check(at + "/partuuid", d.partuuid(), FactShapes::isUuid, "a UUID");
        check(at + "/label", d.label(), s -> FactShapes.isText(s, 256), "one line of text");
        check(at + "/ptType", d.ptType(), s -> FactShapes.isToken(s, 64), "a partition table type");
        strings(at + "/mountpoints", d.mountpoints(), FactShapes::isMountPoint, "an absolute, canonical path");
        strings(at + "/holders", d.holders(), FactShapes::isDeviceName, "a device name");
        if (d.partitions() != null) {
            for (int i = 0; i < d.partitions().size(); i++) {
                blockDevice(at + "/partitions/" + i, d.partitions().get(i));
            }
        }
    }

    private void mount(String at, MountFact m) {
        if (m == null) {
            problem(at, "a mount", null);
            return;
        }
        check(at + "/device", m.device(), s -> FactShapes.isText(s, FactShapes.PATH_MAX), "one line of text");
        check(at + "/mountpoint", m.mountpoint(), FactShapes::isMountPoint, "an absolute, canonical path");
        check(at + "/fsType", m.fsType(), s -> FactShapes.isToken(s, 64), "a filesystem type");
        strings(at + "/options", m.options(), FactShapes::isMountOption, "a mount option");
        atLeastZero(at + "/sizeBytes", m.sizeBytes());
        atLeastZero(at + "/availableBytes", m.availableBytes());
        atLeastZero(at + "/usedBytes", m.usedBytes());
    }

    private void netInterface(String at, NetInterface n) {
        if (n == null) {
            problem(at, "an interface", null);
            return;
        }
        check(at + "/name", n.name(), FactShapes::isInterfaceName, "an interface name");
        check(at + "/mac", n.mac(), FactShapes::isLinkAddress, "a link-layer address");
        atLeastZero(at + "/mtu", n.mtu());
        addresses(at + "/ipv4", n.ipv4(), FactShapes::isIpv4, "an IPv4 address", 32);
        addresses(at + "/ipv6", n.ipv6(), FactShapes::isIpv6, "an IPv6 address", 128);
    }

    private void addresses(String at, List<IpAddress> list, Predicate<String> shape, String expected, int maxPrefix) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            IpAddress a = list.get(i);
            if (a == null) {
                problem(at + "/" + i, "an address", null);
                continue;
            }
            if (a.address() == null || !shape.test(a.address())) {
                problem(at + "/" + i + "/address", expected, a.address());
            }
            if (a.prefix() < 0 || a.prefix() > maxPrefix) {
                problem(at + "/" + i + "/prefix", "a prefix length of 0 to " + maxPrefix, a.prefix());
            }
        }
    }

    private void collector(String name, CollectorStatus s) {
        if (!FactShapes.isAlphanumeric(name, 64)) {
            problem("/collectors", "collector names of letters and digits", name);
            return;
        }
        String at = "/collectors/" + name;
        if (s == null) {
            problem(at, "a collector status", null);
            return;
        }
        if (s.status() == null || !STATUSES.contains(s.status())) {
            problem(at + "/status", "one of " + String.join(", ", List.of(CollectorStatus.OK, CollectorStatus.PARTIAL,
                    CollectorStatus.TIMED_OUT, CollectorStatus.FAILED)), s.status());
        }
        atLeastZero(at + "/tookMs", s.tookMs());
        check(at + "/error", s.error(), e -> FactShapes.isMessage(e, FactShapes.MESSAGE_MAX), "text");
    }

    private void dns(DnsFacts d) {
        strings("/dns/nameservers", d.nameservers(), FactShapes::isIpAddressWithZone, "an IP address");
        strings("/dns/search", d.search(), FactShapes::isDomainName, "a domain name");
        check("/dns/domain", d.domain(), FactShapes::isDomainName, "a domain name");
        strings("/dns/options", d.options(), s -> FactShapes.isToken(s, 256), "a resolver option");
    }

    private void strings(String at, List<String> list, Predicate<String> shape, String expected) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String v = list.get(i);
            if (v == null || !shape.test(v)) {
                problem(at + "/" + i, expected, v);
            }
        }
    }

    /** Null passes: the collector did not find it. */
    private void check(String at, String value, Predicate<String> shape, String expected) {
        if (value != null && !shape.test(value)) {
            problem(at, expected, value);
        }
    }

    private void atLeastZero(String at, Number value) {
        if (value != null && value.longValue() < 0) {
            problem(at, "a number of at least 0", value);
        }
    }

    private void problem(String at, String expected, Object value) {
        if (count++ < MAX_PROBLEMS) {
            problems.add(new Problem(at, expected, value instanceof String s ? FactShapes.quote(s) : String.valueOf(value)));
        } else if (count == MAX_PROBLEMS + 1) {
            problems.add(new Problem("/", "facts of the right shape", "more problems than the "
                    + MAX_PROBLEMS + " above"));
        }
    }

    private static boolean isInstant(String s) {
        try {
            Instant.parse(s);
            return s.length() <= 64;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
