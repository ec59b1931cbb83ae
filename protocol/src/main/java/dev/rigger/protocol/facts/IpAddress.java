package dev.rigger.protocol.facts;

/** An address with its prefix length. */
public record IpAddress(String address, int prefix) {
}
