package dev.rigger.agent.facts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.exec.OutputSink;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.facts.DefaultRoute;
import dev.rigger.protocol.facts.IpAddress;
import dev.rigger.protocol.facts.NetInterface;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Interfaces of this network namespace from {@code ip -j addr} (what the host's own tools say), or from
 * the JDK when iproute2 is missing; the IPv4 default route from /proc/net/route.
 */
public final class NetworkFacts {
    private NetworkFacts() {
    }

    public static List<NetInterface> collectInterfaces() {
        return collectInterfaces(Instant.now().plusSeconds(60));
    }

    /** Interfaces from {@code ip -j addr}, which is killed at the deadline (a {@code CommandTimeoutException} says so). */
    public static List<NetInterface> collectInterfaces(Instant deadline) {
        CommandOutcome ip = CommandRunner.run(CommandSpec.of("ip", "-j", "addr"), OutputSink.DISCARD, deadline);
        if (ip.ok()) {
            try {
                return parseIpJson(ip.stdout());
            } catch (IOException e) {
                // an iproute2 too old for -j prints text: fall back to the JDK
            }
        }
        return fromJdk();
    }

    public static DefaultRoute collectDefaultRoute(List<NetInterface> interfaces) {
        return defaultRoute(SysFiles.readOrEmpty(Path.of("/proc/net/route")), interfaces);
    }

    /** {@code ip -j addr} output: ifname, address (MAC), mtu, flags (UP), addr_info (family, local, prefixlen). */
    public static List<NetInterface> parseIpJson(String json) throws IOException {
        List<NetInterface> result = new ArrayList<>();
        for (JsonNode link : ProtocolJson.MAPPER.readTree(json)) {
            List<IpAddress> v4 = new ArrayList<>();
            List<IpAddress> v6 = new ArrayList<>();
            for (JsonNode a : link.path("addr_info")) {
                IpAddress addr = new IpAddress(a.path("local").asText(), a.path("prefixlen").asInt());
                if ("inet".equals(a.path("family").asText())) {
                    v4.add(addr);
                } else if ("inet6".equals(a.path("family").asText())) {
                    v6.add(addr);
                }
            }
            boolean up = false;
            for (JsonNode flag : link.path("flags")) {
                up |= "UP".equals(flag.asText());
            }
            String mac = link.hasNonNull("address") ? link.get("address").asText() : null;
            result.add(new NetInterface(link.path("ifname").asText(), mac, link.path("mtu").asInt(), up, v4, v6));
        }
        return result;
    }

    /**
     * The IPv4 default route from /proc/net/route (destination and mask 0; addresses are little-endian
     * hex), with the first IPv4 address of its interface. Null when there is no default route.
     */
    public static DefaultRoute defaultRoute(String procNetRoute, List<NetInterface> interfaces) {
        DefaultRoute best = null;
        int bestMetric = Integer.MAX_VALUE;
        for (String line : procNetRoute.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface") || !f[1].equals("00000000") || !f[7].equals("00000000")) {
                continue;
            }
            int flags = Integer.parseInt(f[3], 16);
            int metric = Integer.parseInt(f[6]);
            if ((flags & 0x1) == 0 || metric >= bestMetric) {
                continue;   // RTF_UP not set: the route is not in use
            }
            String iface = f[0];
            String address = interfaces.stream().filter(i -> i.name().equals(iface))
                    .flatMap(i -> i.ipv4().stream()).map(IpAddress::address).findFirst().orElse(null);
            best = new DefaultRoute(iface, address, hexToIpv4(f[2]));
            bestMetric = metric;
        }
        return best;
    }

    static String hexToIpv4(String littleEndianHex) {
        long v = Long.parseLong(littleEndianHex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }

    /** The interfaces as the JDK sees them (netlink, no command), sorted by name. */
    static List<NetInterface> fromJdk() {
        List<NetInterface> result = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                List<IpAddress> v4 = new ArrayList<>();
                List<IpAddress> v6 = new ArrayList<>();
                for (InterfaceAddress a : ni.getInterfaceAddresses()) {
                    String text = a.getAddress().getHostAddress().replaceFirst("%.*$", "");
                    (a.getAddress() instanceof Inet4Address ? v4 : v6).add(new IpAddress(text, a.getNetworkPrefixLength()));
                }
                result.add(new NetInterface(ni.getName(), mac(ni.getHardwareAddress()), ni.getMTU(), ni.isUp(), v4, v6));
            }
        } catch (SocketException e) {
            return List.of();
        }
        result.sort(java.util.Comparator.comparing(NetInterface::name));
        return result;
    }

    private static String mac(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(b.length() == 0 ? "" : ":").append(String.format("%02x", x));
        }
        return b.toString();
    }
}
