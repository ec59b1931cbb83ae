package dev.rigger.protocol.facts;

/** The interface and address the host uses for its IPv4 default route (ECS's network.json reads these). */
public record DefaultRoute(String interfaceName, String address, String gateway) {
}
