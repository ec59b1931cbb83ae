package dev.rigger.controller.bridge;

import dev.rigger.controller.security.Secret;
import dev.rigger.protocol.Addresses;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides what each bridge connection may do. A connection is anonymous until it sends a
 * {@code hello} with the one-time token the controller handed to that host's agent; from then on it
 * speaks for that host only: it may register that host's task address and send messages whose
 * {@code host} is that host. So one agent cannot speak for another, and a token works once.
 */
public final class AgentGate {
    private final Map<String, Secret> expectedTokens = new ConcurrentHashMap<>();
    private final Map<Object, String> hostOfConnection = new ConcurrentHashMap<>();

    /** Arms a one-time token for the agent that is about to start on {@code host}. */
    public void expect(String host, Secret token) {
        expectedTokens.put(host, token);
    }

    /** Forgets a host: its token (if unused) and any connection bound to it. */
    public void forget(String host) {
        expectedTokens.remove(host);
        hostOfConnection.values().removeIf(host::equals);
    }

    /** A hello from {@code connection}: binds it to {@code host} if the token matches, and uses the token up. */
    public boolean admitHello(Object connection, String host, String token) {
        if (host == null || token == null || hostOfConnection.containsKey(connection)) {
            return false;
        }
        Secret expected = expectedTokens.get(host);
        if (expected == null || !expected.matches(token)) {
            return false;
        }
        if (!expectedTokens.remove(host, expected)) {
            return false;
        }
        hostOfConnection.put(connection, host);
        return true;
    }

    /** A send or publish on {@code address} about {@code host} from {@code connection}. */
    public boolean admitMessage(Object connection, String address, String host) {
        String bound = hostOfConnection.get(connection);
        return bound != null && bound.equals(host) && Addresses.AGENT_OUTBOUND.contains(address)
                && !Addresses.HELLO.equals(address);
    }

    /** A register of {@code address} from {@code connection}: only its own host's task and cancel addresses. */
    public boolean admitRegister(Object connection, String address) {
        String bound = hostOfConnection.get(connection);
        return bound != null && Addresses.agentInbound(bound).contains(address);
    }

    public Optional<String> hostOf(Object connection) {
        return Optional.ofNullable(hostOfConnection.get(connection));
    }

    public void disconnected(Object connection) {
        hostOfConnection.remove(connection);
    }
}
