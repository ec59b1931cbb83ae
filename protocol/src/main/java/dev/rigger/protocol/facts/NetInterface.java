package dev.rigger.protocol.facts;

import java.util.List;

/** A network interface and its addresses. */
public record NetInterface(String name, String mac, int mtu, boolean up, List<IpAddress> ipv4, List<IpAddress> ipv6) {
}
