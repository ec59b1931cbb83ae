package dev.rigger.controller.bridge;

import dev.rigger.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge that agents attach to through their SSH remote forward. It listens on
 * 127.0.0.1 only, admits only the protocol's addresses, and lets {@link AgentGate} tie each
 * connection to the agent that proved its token. Agents reach it through a {@link BridgeFront} on the port
 * given here, which bounds frames, time and connection count before a hello; the bridge itself listens on a
 * second loopback port of its own.
 */
public final class AgentBridgeVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(AgentBridgeVerticle.class);

    /** How long a connection may stay without a valid hello; a system property so tests can shorten it. */
    static final String HELLO_TIMEOUT_PROPERTY = "rigger.bridge.helloTimeoutMs";
    static final String MAX_PENDING_PROPERTY = "rigger.bridge.maxPendingConnections";
    private static final long HELLO_TIMEOUT_MS = 10_000;
    private static final int MAX_PENDING = 64;

    private final int port;
    private final AgentGate gate;
    private TcpEventBusBridge bridge;
    private BridgeFront front;

    /** @param port chosen beforehand: the bridge cannot report a port it picked itself */
    public AgentBridgeVerticle(int port, AgentGate gate) {
        this.port = port;
        this.gate = gate;
    }

    /** Connections that have not said a valid hello yet. */
    public int pendingConnections() {
        return front == null ? 0 : front.pending();
    }

    @Override
    public Future<?> start() {
        BridgeOptions options = new BridgeOptions()
                .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.TASKS_PATTERN.pattern()))
                .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.CANCEL_PATTERN.pattern()));
        Addresses.AGENT_OUTBOUND.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
        bridge = TcpEventBusBridge.create(vertx, options, new NetServerOptions().setTcpNoDelay(true), this::onEvent);
        int bridgePort;
        try {
            bridgePort = freeLoopbackPort();
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        front = new BridgeFront(vertx, bridgePort, Long.getLong(HELLO_TIMEOUT_PROPERTY, HELLO_TIMEOUT_MS),
                Integer.getInteger(MAX_PENDING_PROPERTY, MAX_PENDING));
        return bridge.listen(bridgePort, "127.0.0.1").compose(b -> front.listen(port, "127.0.0.1"));
    }

    @Override
    public Future<?> stop() {
        Future<Void> frontClosed = front == null ? Future.succeededFuture() : front.close();
        return frontClosed.eventually(() -> bridge == null ? Future.succeededFuture() : bridge.close());
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void onEvent(BridgeEvent event) {
        Object connection = event.socket();
        JsonObject raw = event.getRawMessage();
        boolean allowed = switch (event.type()) {
            case SEND, PUBLISH -> admit(connection, raw, event);
            case REGISTER -> gate.admitRegister(connection, raw.getString("address"));
            case SOCKET_CLOSED -> {
                gate.disconnected(connection);
                yield true;
            }
            default -> true;
        };
        if (!allowed) {
            String address = raw == null ? "-" : raw.getString("address");
            if (gate.hostOf(connection).isEmpty() && !Addresses.HELLO.equals(address)) {
                // an agent's last words (bye, a heartbeat) after its host was let go: expected, not a threat
                LOG.debug("bridge dropped a {} on {} from a connection no longer bound to a host", event.type(), address);
            } else {
                LOG.warn("bridge refused a {} on {} from {}", event.type(), address,
                        gate.hostOf(connection).orElse("an unidentified connection"));
            }
        }
        event.complete(allowed);
    }

    private boolean admit(Object connection, JsonObject raw, BridgeEvent event) {
        String address = raw.getString("address");
        JsonObject body = raw.getJsonObject("body");
        String host = body == null ? null : body.getString("host");
        if (Addresses.HELLO.equals(address)) {
            String token = body == null ? null : body.getString("token");
            if (!gate.admitHello(connection, host, token)) {
                return false;
            }
            front.helloAdmitted(event.socket().remoteAddress().port());
            // the token has done its work: it goes no further than this handler
            JsonObject stripped = raw.copy();
            stripped.getJsonObject("body").remove("token");
            event.setRawMessage(stripped);
            return true;
        }
        return gate.admitMessage(connection, address, host);
    }
}
