package dev.rigger.controller.serve;

import dev.rigger.controller.Controller;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.run.HostSession;
import dev.rigger.controller.run.UnreachableException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rigger serve}: the controller kept running, its agents attached, an HTTP API and a dashboard in
 * front. {@link #close()} stops it all and ends every agent.
 */
public final class RiggerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RiggerServer.class);

    private final ServeOptions options;
    private final Controller controller;
    private final ConnectedAgents agents;
    private final ServeToken token;
    private final ServeEndpoint endpoint;
    private final ExecutorService attaching;

    private RiggerServer(ServeOptions options, Controller controller, ConnectedAgents agents, ServeToken token,
                         ServeEndpoint endpoint, ExecutorService attaching) {
        this.options = options;
        this.controller = controller;
        this.agents = agents;
        this.token = token;
        this.endpoint = endpoint;
        this.attaching = attaching;
    }

    /** Starts listening, then attaches every inventory host's agent in the background. */
    public static RiggerServer start(ServeOptions options) throws IOException {
        if (options.tls() == null && !ServeTls.loopback(options.bind())) {
            // the token would cross the network in clear text
            throw new IOException("--bind " + options.bind() + " is not a loopback address: rigger serve speaks only HTTPS there;"
                    + " give --tls-cert and --tls-key, or --tls-self-signed");
        }
        ServeToken token = ServeToken.loadOrCreate(options.stateDir());
        Controller controller = Controller.start(options.controller());
        ConnectedAgents agents = new ConnectedAgents(controller.connector());
        try {
            ServeProof proof = new ServeProof(token.value(), ServeProof.random());
            ApiVerticle api = new ApiVerticle(options, token.value(), proof, new HostsApi(options, agents),
                    new RunManager(options, agents));
            controller.vertx().deployVerticle(api).await();
            ServeEndpoint endpoint = new ServeEndpoint(options.bind(), api.port(), ProcessHandle.current().pid(),
                    options.playbooksDir().toAbsolutePath().normalize().toString(), options.inventoryId(), proof.nonce(),
                    options.tls() == null ? null : options.tls().fingerprint());
            endpoint.write(options.stateDir());
            ExecutorService attaching = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "attach");
                t.setDaemon(true);
                return t;
            });
            RiggerServer server = new RiggerServer(options, controller, agents, token, endpoint, attaching);
            server.attachAll();
            return server;
        } catch (RuntimeException | IOException e) {
            agents.close();
            controller.close();
            throw e;
        }
    }

    private void attachAll() {
        List<InventoryHost> hosts;
        try {
            hosts = options.inventory().get().hosts();
        } catch (InventoryException e) {
            LOG.warn("no agents attached: {}", e.getMessage());
            return;
        }
        for (InventoryHost h : hosts) {
            attaching.execute(() -> {
                try (HostSession borrowed = agents.connect(h)) {
                    LOG.info("attached {}", h.name());
                } catch (UnreachableException e) {
                    LOG.warn("not attached: {}", e.getMessage());
                }
            });
        }
    }

    public int port() {
        return endpoint.port();
    }

    public String url() {
        return endpoint.baseUrl();
    }

    public ServeToken token() {
        return token;
    }

    /** True once the host's agent is attached. */
    public boolean attached(String host) {
        return agents.isAttached(host);
    }

    /** The agents this server keeps attached; runs borrow their sessions. */
    public ConnectedAgents agents() {
        return agents;
    }

    @Override
    public void close() {
        attaching.shutdownNow();
        ServeEndpoint.remove(options.stateDir());
        agents.close();
        controller.close();
    }
}
