package dev.rigger.controller;

import dev.rigger.controller.agents.AgentRegistryVerticle;
import dev.rigger.controller.bridge.AgentBridgeVerticle;
import dev.rigger.controller.bridge.AgentGate;
import dev.rigger.controller.connect.SshAgentConnector;
import dev.rigger.controller.docker.HostDocker;
import dev.rigger.controller.run.HostConnector;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The running controller: Vert.x with the agent bridge and registry, and the connector that brings
 * agents up over SSH. One per process; {@link #close()} stops everything, which ends every agent.
 */
public final class Controller implements AutoCloseable {
    private final Vertx vertx;
    private final SshAgentConnector connector;

    private Controller(Vertx vertx, SshAgentConnector connector) {
        this.vertx = vertx;
        this.connector = connector;
    }

    public static Controller start(ControllerOptions options) throws IOException {
        Vertx vertx = Vertx.vertx();
        try {
            AgentGate gate = new AgentGate();
            AgentRegistryVerticle registry = new AgentRegistryVerticle(options.heartbeatSec(), options.lostAfterSec());
            vertx.deployVerticle(registry).await();
            int port = freeLoopbackPort();
            vertx.deployVerticle(new AgentBridgeVerticle(port, gate)).await();
            return new Controller(vertx, new SshAgentConnector(options, port, gate, registry));
        } catch (RuntimeException | IOException e) {
            vertx.close();
            throw e;
        }
    }

    public HostConnector connector() {
        return connector;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The bridge cannot report a port it picked itself (listen(0)), so one is chosen here first. */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        HostDocker.closeAll();
        connector.close();
        vertx.close().await();
    }
}
