package dev.rigger.controller.modules.ecs;

import dev.rigger.controller.ssh.ExecResult;
import dev.rigger.controller.ssh.SshHost;
import dev.rigger.controller.ssh.SshHostException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * The management API through the host's SSH session: a listener on the controller's loopback whose every
 * connection becomes a {@code direct-tcpip} channel to {@code 127.0.0.1:<port>} on the host (as
 * {@code ssh -L}). Port 4443 then need not be open to the controller at all, nor to anyone else, and what
 * crosses the network is inside SSH, whose host key the controller checked. TLS still runs end to end
 * through it, against the pinned certificate ({@link EcsTrust}): on the host, any user could listen on
 * 127.0.0.1:4443 while ECS is down.
 */
final class EcsTunnel implements AutoCloseable {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final SshHost ssh;
    private final int remotePort;
    private final ExplicitPortForwardingTracker tracker;

    private EcsTunnel(SshHost ssh, int remotePort, ExplicitPortForwardingTracker tracker) {
        this.ssh = ssh;
        this.remotePort = remotePort;
        this.tracker = tracker;
    }

    static EcsTunnel open(SshHost ssh, int remotePort) throws IOException {
        ExplicitPortForwardingTracker tracker = ssh.session().createLocalPortForwardingTracker(
                new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", remotePort));
        return new EcsTunnel(ssh, remotePort, tracker);
    }

    /** {@code https://127.0.0.1:<local port>}: where the HTTP client connects. */
    URI endpoint() {
        return URI.create("https://127.0.0.1:" + tracker.getBoundAddress().getPort());
    }

    /**
     * Whether anything listens on the host's port, from the kernel's socket tables rather than by connecting: a
     * probe connection would hold up a listener that serves one connection at a time, and it is only a hint for
     * the status line (the login that follows is what counts).
     */
    boolean remotePortOpen() {
        try {
            ExecResult r = ssh.exec("cat /proc/net/tcp /proc/net/tcp6", PROBE_TIMEOUT);
            return listening(r.stdout(), remotePort);
        } catch (SshHostException e) {
            return false;
        }
    }

    /** A LISTEN (state 0A) line of /proc/net/tcp{,6} whose local address has this port. */
    static boolean listening(String procNetTcp, int port) {
        String hexPort = String.format(":%04X", port);
        for (String line : procNetTcp.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 3 && f[1].endsWith(hexPort) && "0A".equals(f[3])) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            tracker.close();
        } catch (IOException e) {
            // the listener goes with the SSH session in any case
        }
    }
}
