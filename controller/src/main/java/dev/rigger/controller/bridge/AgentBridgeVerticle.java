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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge that agents attach to through their SSH remote forward. It listens on
 * 127.0.0.1 only, admits only the protocol's addresses, and lets {@link AgentGate} tie each
 * connection to the agent that proved its token.
 */
public final class AgentBridgeVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(AgentBridgeVerticle.class);

    private final int port;
    private final AgentGate gate;
    private TcpEventBusBridge bridge;

    /** @param port chosen beforehand: the bridge cannot report a port it picked itself */
    public AgentBridgeVerticle(int port, AgentGate gate) {
        this.port = port;
        this.gate = gate;
    }

    @Override
    public Future<?> start() {
        BridgeOptions options = new BridgeOptions()
                .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.TASKS_PATTERN.pattern()))
                .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.CANCEL_PATTERN.pattern()));
        Addresses.AGENT_OUTBOUND.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
        bridge = TcpEventBusBridge.create(vertx, options, new NetServerOptions().setTcpNoDelay(true), this::onEvent);
        return bridge.listen(port, "127.0.0.1");
    }

    @Override
    public Future<?> stop() {
        return bridge == null ? Future.succeededFuture() : bridge.close();
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
            // the token has done its work: it goes no further than this handler
            JsonObject stripped = raw.copy();
            stripped.getJsonObject("body").remove("token");
            event.setRawMessage(stripped);
            return true;
        }
        return gate.admitMessage(connection, address, host);
    }
}
