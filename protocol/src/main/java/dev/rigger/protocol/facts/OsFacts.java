package dev.rigger.protocol.facts;

/** Operating system of a host; {@code family} is the ID of /etc/os-release (debian, ubuntu, ...). */
public record OsFacts(String family, String name, String version, String kernel, String arch, String glibc) {
}
