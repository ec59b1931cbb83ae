package dev.rigger.controller.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to reach one host over SSH.
 *
 * @param name         the inventory name, used in every message (node1)
 * @param address      IP address or DNS name to connect to
 * @param port         SSH port
 * @param user         login user; the agent runs under sudo when it is not root
 * @param identityFile OpenSSH private key (unencrypted)
 * @param hostKeys     host keys the inventory already knows for this host ({@code keytype base64 [comment]});
 *                     when given they are authoritative for this host
 */
public record SshTarget(String name, String address, int port, String user, Path identityFile, List<String> hostKeys) {

    public static final int DEFAULT_PORT = 22;

    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(identityFile, "identityFile");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SSH port of " + name + " must be 1..65535, was " + port);
        }
        hostKeys = hostKeys == null ? List.of() : List.copyOf(hostKeys);
    }

    /** {@code address:port} as messages show it. */
    public String endpoint() {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** {@code node1 (172.30.0.11:22)}, the way every message names this host. */
    public String describe() {
        return name + " (" + endpoint() + ")";
    }
}
