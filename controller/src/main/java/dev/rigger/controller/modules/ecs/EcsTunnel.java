package dev.rigger.controller.modules.ecs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.session.ClientSession;
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
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    private final ClientSession session;
    private final SshdSocketAddress remote;
    private final ExplicitPortForwardingTracker tracker;

    private EcsTunnel(ClientSession session, SshdSocketAddress remote, ExplicitPortForwardingTracker tracker) {
        this.session = session;
        this.remote = remote;
        this.tracker = tracker;
    }

    static EcsTunnel open(ClientSession session, int remotePort) throws IOException {
        SshdSocketAddress remote = new SshdSocketAddress("127.0.0.1", remotePort);
        ExplicitPortForwardingTracker tracker = session.createLocalPortForwardingTracker(
                new SshdSocketAddress("127.0.0.1", 0), remote);
        return new EcsTunnel(session, remote, tracker);
    }

    /** {@code https://127.0.0.1:<local port>}: where the HTTP client connects. */
    URI endpoint() {
        return URI.create("https://127.0.0.1:" + tracker.getBoundAddress().getPort());
    }

    /** Whether anything listens on the host's port: a channel opens only if sshd could connect there. */
    boolean remotePortOpen() {
        try (ChannelDirectTcpip channel = session.createDirectTcpipChannel(
                new SshdSocketAddress(new InetSocketAddress("127.0.0.1", 0)), remote)) {
            channel.open().verify(OPEN_TIMEOUT);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
