package dev.rigger.controller.ssh;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;

/**
 * Decides which connections a host may open back into the controller through a remote forward. Only the
 * registered bridge ports on the controller's loopback are reachable: MINA's default refuses everything
 * (the agent could not attach), accepting everything would let any host reach any controller-side port.
 */
final class BridgeForwardingFilter implements ForwardingFilter {

    private final Set<Integer> ports = ConcurrentHashMap.newKeySet();

    void permit(int port) {
        ports.add(port);
    }

    void revoke(int port) {
        ports.remove(port);
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return false;
    }

    /** Local listeners the controller opens itself (local forwards) stay on loopback. */
    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        return isLoopback(address.getHostName());
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        return type == Type.Forwarded && isLoopback(address.getHostName()) && ports.contains(address.getPort());
    }

    private static boolean isLoopback(String host) {
        return "127.0.0.1".equals(host) || "localhost".equalsIgnoreCase(host) || "::1".equals(host);
    }
}
