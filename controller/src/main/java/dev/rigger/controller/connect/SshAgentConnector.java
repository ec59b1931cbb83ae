package dev.rigger.controller.connect;

import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.agents.AgentRegistryVerticle;
import dev.rigger.controller.agents.FactsRefusedException;
import dev.rigger.controller.bootstrap.AgentBootstrap;
import dev.rigger.controller.bootstrap.AgentProcess;
import dev.rigger.controller.bootstrap.RuntimeImage;
import dev.rigger.controller.bridge.AgentGate;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.run.HeartbeatSource;
import dev.rigger.controller.run.HostConnector;
import dev.rigger.controller.run.HostSession;
import dev.rigger.controller.run.UnreachableException;
import dev.rigger.controller.security.Secret;
import dev.rigger.controller.security.Tokens;
import dev.rigger.controller.ssh.KnownHosts;
import dev.rigger.controller.ssh.SshHost;
import dev.rigger.controller.ssh.SshHostException;
import dev.rigger.controller.ssh.SshTarget;
import dev.rigger.controller.ssh.SshTransport;
import dev.rigger.protocol.facts.HostFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a host's agent up: SSH (verified host key), a remote forward to the bridge, the runtime and
 * jar when the host lacks them, the agent started with its one-time token on stdin; then waits for
 * the agent's hello and ready. The agent lives as long as the SSH session.
 */
public final class SshAgentConnector implements HostConnector, HeartbeatSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshAgentConnector.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final ControllerOptions options;
    private final int bridgePort;
    private final AgentGate gate;
    private final AgentRegistryVerticle registry;
    private final SshTransport transport;
    private final AgentBootstrap bootstrap;
    private final Map<String, ConnectStats> stats = new ConcurrentHashMap<>();

    public SshAgentConnector(ControllerOptions options, int bridgePort, AgentGate gate, AgentRegistryVerticle registry)
            throws IOException {
        this.options = options;
        this.bridgePort = bridgePort;
        this.gate = gate;
        this.registry = registry;
        if (!Files.isRegularFile(options.agentJar())) {
            throw new IOException("agent jar " + options.agentJar() + " not found: build with 'mvn package' first");
        }
        KnownHosts knownHosts = KnownHosts.load(options.stateDir().resolve("known_hosts"), List.of(), options.trustNewHosts());
        this.transport = new SshTransport(knownHosts);
        this.transport.permitForwardsTo(bridgePort);
        this.bootstrap = new AgentBootstrap(RuntimeImage.forRunningJdk());
    }

    @Override
    public HostSession connect(InventoryHost host) throws UnreachableException {
        long started = System.nanoTime();
        if (host.identityFile() == null) {
            throw new UnreachableException(host.name() + ": no identityFile in the inventory");
        }
        SshTarget target = new SshTarget(host.name(), host.address(), host.port(), host.user(), host.identityFile(),
                host.hostKeys());
        SshHost ssh;
        try {
            ssh = transport.connect(target, CONNECT_TIMEOUT);
        } catch (SshHostException e) {
            throw new UnreachableException(e.getMessage(), e);
        }
        Secret token = Tokens.oneTime();
        try {
            int remotePort = ssh.startRemoteForward(bridgePort);
            gate.expect(host.name(), token);
            var ready = registry.awaitReady(host.name());
            AgentProcess agent = bootstrap.start(ssh, options.agentJar(), remotePort, host.name(), token,
                    line -> LOG.debug("[{}] agent: {}", host.name(), line));
            agent.process().exit().whenComplete((code, error) -> registry.gone(host.name(), ended(host.name(), code, error)));
            HostFacts facts = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            stats.put(host.name(), new ConnectStats((System.nanoTime() - started) / 1_000_000, agent.runtimeShipped(),
                    agent.jarShipped(), agent.bytesShipped()));
            return new AgentHostSession(host.name(), facts, ssh, agent, registry, gate);
        } catch (IOException e) {
            close(ssh, host);
            throw new UnreachableException(host.name() + ": cannot start the agent: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            close(ssh, host);
            throw new UnreachableException(host.name() + ": the agent did not report ready within "
                    + READY_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            close(ssh, host);
            if (e.getCause() instanceof FactsRefusedException refused) {
                throw new UnreachableException(refused.getMessage(), refused);
            }
            throw new UnreachableException(host.name() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(ssh, host);
            throw new UnreachableException(host.name() + ": interrupted while starting the agent");
        }
    }

    /** Why a host's agent is gone, for the task that was waiting on it: its exit status, or its session's end. */
    static String ended(String host, Integer code, Throwable error) {
        if (code != null) {
            // the SSH channel reports a signal as 128 + its number, as a shell would
            return "the agent on " + host + " exited with status " + code
                    + (code > 128 ? " (killed by signal " + (code - 128) + ")" : "");
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof SshHostException e && e.kind() == SshHostException.Kind.CONNECTION_LOST) {
            // its message repeats the whole agent command line; what matters is that the session went first
            return "the SSH session to " + host + " closed while its agent was running (the host went down or"
                    + " dropped the connection)";
        }
        return "the SSH session to " + host + " ended before its agent exited: "
                + (cause == null ? "no exit status" : cause.getMessage());
    }

    private void close(SshHost ssh, InventoryHost host) {
        gate.forget(host.name());
        ssh.close();
    }

    @Override
    public Runnable onHeartbeat(Consumer<String> host) {
        return registry.onHeartbeat(host);
    }

    @Override
    public ConnectStats lastStats(String host) {
        return stats.get(host);
    }

    @Override
    public void close() {
        transport.close();
    }
}
