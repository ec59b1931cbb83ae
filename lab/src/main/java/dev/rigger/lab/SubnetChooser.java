package dev.rigger.lab;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Picks the first 172.30.X.0/24 (then 172.31.X.0/24) that overlaps no docker network and no local address. */
final class SubnetChooser {
    private SubnetChooser() {
    }

    static String choose(List<String> subnetsInUse) {
        List<long[]> used = new ArrayList<>();
        subnetsInUse.forEach(s -> used.add(range(s)));
        used.addAll(localRanges());
        for (int second = 30; second <= 31; second++) {
            for (int third = 0; third <= 255; third++) {
                String candidate = "172." + second + "." + third + ".0/24";
                long[] r = range(candidate);
                if (used.stream().noneMatch(u -> u[0] <= r[1] && r[0] <= u[1])) {
                    return candidate;
                }
            }
        }
        throw new LabException("no free /24 in 172.30.0.0/15 for a lab network: every one overlaps a docker"
                + " network or a local address");
    }

    /** "172.30.4.0/24" -> "172.30.4." (the lab gives nodes .11 and up, the gateway .1). */
    static String prefix(String subnet) {
        String network = subnet.substring(0, subnet.indexOf('/'));
        return network.substring(0, network.lastIndexOf('.') + 1);
    }

    /** First and last address of a CIDR block, as unsigned ints in longs. */
    static long[] range(String cidr) {
        String[] parts = cidr.split("/");
        String[] octets = parts[0].split("\\.");
        long address = 0;
        for (String octet : octets) {
            address = (address << 8) | Integer.parseInt(octet);
        }
        int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
        long size = 1L << (32 - bits);
        long first = address & ~(size - 1) & 0xFFFFFFFFL;
        return new long[] {first, first + size - 1};
    }

    private static List<long[]> localRanges() {
        List<long[]> ranges = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress address : nic.getInterfaceAddresses()) {
                    InetAddress inet = address.getAddress();
                    if (inet instanceof Inet4Address && !inet.isLoopbackAddress()) {
                        ranges.add(range(inet.getHostAddress() + "/" + address.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (SocketException e) {
            throw new LabException("cannot list this machine's network interfaces: " + e.getMessage(), e);
        }
        return ranges;
    }
}
