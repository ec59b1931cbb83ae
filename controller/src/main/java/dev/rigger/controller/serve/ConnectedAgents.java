package dev.rigger.controller.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.rigger.controller.agents.FactsGate;
import dev.rigger.controller.agents.FactsRefusedException;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.modules.HostAccess;
import dev.rigger.controller.run.HeartbeatSource;
import dev.rigger.controller.run.HostConnector;
import dev.rigger.controller.run.HostSession;
import dev.rigger.controller.run.UnreachableException;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.facts.FactShapes;
import dev.rigger.protocol.facts.HostFacts;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The agents {@code rigger serve} keeps attached between runs, so a facts query is one message to a running
 * agent and a run skips SSH and bootstrap. Runs borrow a session: closing the borrowed one leaves the agent
 * up. A session whose agent died, or whose host changed address, is connected anew.
 */
public final class ConnectedAgents implements HostConnector, HeartbeatSource, AutoCloseable {
    private static final int FACTS_TIMEOUT_SEC = 15;

    private final HostConnector connector;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, ConnectStats> stats = new ConcurrentHashMap<>();
    /** The newest facts each attached agent reported: in its hello, or at a later gather. */
    private final Map<String, HostFacts> lastFacts = new ConcurrentHashMap<>();

    private record Kept(InventoryHost host, HostSession session) {
    }

    /** Facts as the agent reported them, and when. */
    public record GatheredFacts(HostFacts facts, Instant at) {
    }

    public ConnectedAgents(HostConnector connector) {
        this.connector = connector;
    }

    @Override
    public HostSession connect(InventoryHost host) throws UnreachableException {
        return connect(host, true);
    }

    @Override
    public HostSession connect(InventoryHost host, boolean gatherFacts) throws UnreachableException {
        synchronized (locks.computeIfAbsent(host.name(), h -> new Object())) {
            Kept k = kept.get(host.name());
            if (k != null && k.session().alive() && k.host().equals(host)) {
                long started = System.nanoTime();
                HostFacts known = lastFacts.get(host.name());
                boolean reuse = !gatherFacts && known != null;
                HostFacts facts = reuse ? known : gather(k.session()).facts();
                stats.put(host.name(), new ConnectStats((System.nanoTime() - started) / 1_000_000, false, false, 0));
                return new Borrowed(k.session(), facts, reuse);
            }
            if (k != null) {
                kept.remove(host.name());
                lastFacts.remove(host.name());
                k.session().close();
            }
            HostSession session = connector.connect(host);
            kept.put(host.name(), new Kept(host, session));
            if (session.facts() != null) {
                lastFacts.put(host.name(), session.facts());
            }
            ConnectStats first = connector.lastStats(host.name());
            if (first != null) {
                stats.put(host.name(), first);
            }
            return new Borrowed(session, session.facts(), false);
        }
    }

    @Override
    public Runnable onHeartbeat(Consumer<String> host) {
        return connector instanceof HeartbeatSource source ? source.onHeartbeat(host) : () -> { };
    }

    @Override
    public ConnectStats lastStats(String host) {
        return stats.get(host);
    }

    /** The host's attached agent, if it has one that is alive. */
    public Optional<HostSession> attached(String host) {
        Kept k = kept.get(host);
        return k != null && k.session().alive() ? Optional.of(k.session()) : Optional.empty();
    }

    public boolean isAttached(String host) {
        return attached(host).isPresent();
    }

    /** Asks the agent for its facts now. */
    public GatheredFacts gather(HostSession session) throws UnreachableException {
        RunTask task = RunTask.of("facts-" + UUID.randomUUID(), session.host(), "facts",
                JsonNodeFactory.instance.objectNode(), false, false, FACTS_TIMEOUT_SEC);
        try {
            ModuleResult result = session.run(task, line -> { }).get(FACTS_TIMEOUT_SEC, TimeUnit.SECONDS);
            if (result.status() == Status.FAILED) {
                throw new UnreachableException(session.host() + ": the agent could not gather facts: " + result.msg());
            }
            HostFacts facts = FactsGate.admit(session.host(),
                    ProtocolJson.MAPPER.convertValue(result.data(), HostFacts.class));
            lastFacts.put(session.host(), facts);
            return new GatheredFacts(facts, Instant.now());
        } catch (FactsRefusedException e) {
            // an agent that reports hostile facts is not kept for the next run
            lastFacts.remove(session.host());
            Kept k = kept.remove(session.host());
            if (k != null) {
                k.session().close();
            }
            throw new UnreachableException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UnreachableException(session.host() + ": facts refused: the answer is not facts: "
                    + FactShapes.quote(e.getMessage()), e);
        } catch (TimeoutException e) {
            session.abandon(task.taskId());
            throw new UnreachableException(session.host() + ": the agent did not answer within " + FACTS_TIMEOUT_SEC + " s");
        } catch (ExecutionException e) {
            throw new UnreachableException(session.host() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException(session.host() + ": interrupted while gathering facts");
        }
    }

    @Override
    public void close() {
        kept.values().forEach(k -> k.session().close());
        kept.clear();
    }

    /** A run's view of a kept session: its close() leaves the agent attached. */
    private static final class Borrowed implements HostSession {
        private final HostSession session;
        private final HostFacts facts;
        private final boolean reused;

        Borrowed(HostSession session, HostFacts facts, boolean reused) {
            this.session = session;
            this.facts = facts;
            this.reused = reused;
        }

        @Override
        public boolean factsReused() {
            return reused;
        }

        @Override
        public String host() {
            return session.host();
        }

        @Override
        public HostFacts facts() {
            return facts;
        }

        @Override
        public HostAccess access() {
            return session.access();
        }

        @Override
        public boolean alive() {
            return session.alive();
        }

        @Override
        public CompletableFuture<ModuleResult> run(RunTask task, Consumer<TaskOutput> output) {
            return session.run(task, output);
        }

        @Override
        public void abandon(String taskId) {
            session.abandon(taskId);
        }

        @Override
        public void close() {
            // the agent stays for the next query or run
        }
    }
}
