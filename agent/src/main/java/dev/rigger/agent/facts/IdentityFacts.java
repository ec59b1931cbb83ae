package dev.rigger.agent.facts;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.exec.OutputSink;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Names of the host: its hostname, fully qualified name and machine id. */
public final class IdentityFacts {
    /** hostname -f asks the resolver; a broken DNS setup should cost this long at most. */
    static final long FQDN_SECONDS = 3;
    /**
     * The name resolves again when the hostname or the files the resolver reads change, and at least
     * once a minute for what no file shows (a DNS record changed on the server).
     */
    private static final CachedProbe<String> FQDN = new CachedProbe<>(List.of(Path.of("/etc/hosts"),
            Path.of("/etc/resolv.conf"), Path.of("/etc/nsswitch.conf"), Path.of("/etc/host.conf")), Duration.ofSeconds(60));

    private IdentityFacts() {
    }

    public static String hostname() {
        String name = SysFiles.read(Path.of("/proc/sys/kernel/hostname"));
        return name != null ? name : "localhost";
    }

    /** systemd's /etc/machine-id, or D-Bus's copy on hosts without systemd; null when neither exists. */
    public static String machineId() {
        String id = SysFiles.read(Path.of("/etc/machine-id"));
        return id != null ? id : SysFiles.read(Path.of("/var/lib/dbus/machine-id"));
    }

    /**
     * {@code hostname -f}, killed at the deadline (a {@code CommandTimeoutException} then tells the caller);
     * the plain hostname when it fails or prints nothing.
     */
    public static String fqdn(String hostname, Instant deadline) {
        return FQDN.get(hostname, () -> {
            Instant own = Instant.now().plusSeconds(FQDN_SECONDS);
            CommandOutcome out = CommandRunner.run(CommandSpec.of("hostname", "-f"), OutputSink.DISCARD,
                    own.isBefore(deadline) ? own : deadline);
            String fqdn = out.ok() ? out.stdout().strip() : "";
            return fqdn.isEmpty() ? hostname : fqdn;
        });
    }
}
