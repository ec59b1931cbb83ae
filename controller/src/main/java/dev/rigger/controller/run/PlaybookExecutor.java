package dev.rigger.controller.run;

import dev.rigger.controller.agents.FactsRefusedException;
import dev.rigger.controller.events.RecapCollector;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.events.RunListener;
import dev.rigger.controller.modules.ControllerModules;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.security.RunSecrets;
import dev.rigger.controller.state.PlayKey;
import dev.rigger.controller.state.StateStore;
import dev.rigger.controller.state.TaskKey;
import dev.rigger.playbook.Play;
import dev.rigger.playbook.Playbook;
import dev.rigger.playbook.Task;
import dev.rigger.playbook.TemplateContext;
import dev.rigger.playbook.TemplateException;
import dev.rigger.playbook.Templates;
import dev.rigger.protocol.ModuleResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * Runs a playbook: plays in order; in a play, connect its hosts, then run its tasks with the play's
 * strategy. {@code linear} waits for every host at each task; {@code free} lets each host run ahead.
 * A failed host leaves the play; the play stops early only when more than {@code maxFailPercent} of
 * its hosts have failed. A host whose agent falls silent during a task is lost and leaves the run like
 * an unreachable one; while the run goes on, its hosts' heartbeats are events too.
 */
public final class PlaybookExecutor {
    /** The name a host's refused facts are reported under, as if gathering them were a task. */
    static final String GATHER_FACTS = "gather facts";

    private final HostConnector connector;
    private final RunOptions options;
    private final RunListener events;
    private final RecapCollector recap = new RecapCollector();
    private final Templates templates = new Templates();
    private final ControllerModules controllerModules = new ControllerModules();

    private final StateStore state;
    private final HeartbeatSource heartbeats;
    private RunCancel cancel = RunCancel.never();
    private final RunSecrets secrets;

    /**
     * @param state facts remembered from earlier runs (templates that reach other hosts through
     *              {@code hostvars} still see a host that is down or outside {@code --limit}), and where
     *              hosts registered during the run are kept; null for a run that remembers nothing
     */
    public PlaybookExecutor(HostConnector connector, RunOptions options, RunListener events, StateStore state) {
        this(connector, options, events, state, RunSecrets.none());
    }

    /** @param secrets what the run masks; it learns the values that only the run itself shows (rendered vars, results) */
    public PlaybookExecutor(HostConnector connector, RunOptions options, RunListener events, StateStore state,
                            RunSecrets secrets) {
        this(connector, options, events, state, connector instanceof HeartbeatSource s ? s : null, secrets);
    }

    /** @param heartbeats where the hosts' heartbeats come from; null shows none */
    public PlaybookExecutor(HostConnector connector, RunOptions options, RunListener events, StateStore state,
                            HeartbeatSource heartbeats) {
        this(connector, options, events, state, heartbeats, RunSecrets.none());
    }

    private PlaybookExecutor(HostConnector connector, RunOptions options, RunListener events, StateStore state,
                             HeartbeatSource heartbeats, RunSecrets secrets) {
        this.secrets = secrets;
        this.heartbeats = heartbeats;
        this.connector = connector;
        this.state = state;
        this.options = options;
        this.events = e -> {
            recap.on(e);
            events.on(e);
        };
    }

    /** The switch that cancels this executor's run (before {@link #run}); without one a run is never cancelled. */
    public PlaybookExecutor cancelWith(RunCancel switchOff) {
        this.cancel = switchOff;
        return this;
    }

    public RunReport run(String runId, Playbook playbook, Inventory inventory) {
        long started = System.currentTimeMillis();
        Runnable stopAnnouncing = cancel.onCancel(() -> events.on(new RunEvent.RunCancelled(now(), runId, cancel.reason())));
        events.on(new RunEvent.RunStarted(started, runId, playbook.name(), options.check()));
        RunHostRegistry hosts = new RunHostRegistry(inventory, state, options.check());
        boolean aborted = false;
        HeartbeatRelay relay = new HeartbeatRelay(hosts);
        Runnable stopHeartbeats = heartbeats == null ? () -> { } : heartbeats.onHeartbeat(relay::heard);
        try {
            for (Play play : playbook.plays()) {
                if (cancel.cancelled()) {
                    break;
                }
                List<String> selected;
                try {
                    selected = options.retryFilter(new PlayKey(playbook.name(), play.name()),
                            hosts.select(pattern(playbook, play), options.limit()));
                } catch (TemplateException | IllegalArgumentException e) {
                    events.on(new RunEvent.PlayAborted(now(), play.name(), play.pointer() + "/hosts: " + e.getMessage()));
                    aborted = true;
                    break;
                }
                List<HostRunState> playHosts = selected.stream().map(hosts::get)
                        .filter(h -> !h.out()).toList();
                events.on(new RunEvent.PlayStarted(now(), play.name(), selected));
                int forks = options.forks() != null ? options.forks() : play.forks();
                ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, Math.max(1, playHosts.size()))));
                try {
                    connectAll(new PlayKey(playbook.name(), play.name()), play.name(), playHosts, pool, play.gatherFacts());
                    PlayRun run = new PlayRun(playbook, play, hosts, selected, pool);
                    aborted |= play.strategy() == Play.Strategy.FREE ? !run.free() : !run.linear();
                } finally {
                    pool.shutdownNow();
                }
                if (aborted) {
                    break;
                }
            }
        } finally {
            stopAnnouncing.run();
            stopHeartbeats.run();
            relay.stop();
            hosts.all().values().forEach(HostRunState::closeSession);
        }
        events.on(new RunEvent.RunFinished(now(), runId, recap.recap(), now() - started));
        return new RunReport(runId, recap.recap(), aborted || cancel.cancelled());
    }

    /** A play's host pattern may be a template over vars ("{{ cluster_group }}"), as in Ansible. */
    private String pattern(Playbook playbook, Play play) {
        if (!Templates.hasTemplate(play.hosts())) {
            return play.hosts();
        }
        return templates.renderText(play.hosts(), TemplateContext.builder().playbookVars(playbook.vars())
                .playVars(play.vars()).extraVars(options.extraVars()).build());
    }

    private void connectAll(PlayKey playKey, String play, List<HostRunState> playHosts, ExecutorService pool,
                            boolean gatherFacts) {
        List<Future<?>> pending = new ArrayList<>();
        for (HostRunState h : playHosts) {
            if (h.session() != null) {
                continue;
            }
            pending.add(pool.submit(() -> connect(playKey, play, h, gatherFacts)));
        }
        waitAll(pending);
    }

    private void connect(PlayKey playKey, String play, HostRunState h, boolean gatherFacts) {
        InventoryHost host = h.host;
        if (RunHostRegistry.LOCALHOST.equals(host.name())) {
            h.attach(new LocalHostSession());
            return;
        }
        try {
            HostSession session = connector.connect(host, gatherFacts);
            h.attach(session);
            h.facts(session.facts());
            HostConnector.ConnectStats stats = connector.lastStats(host.name());
            events.on(new RunEvent.HostConnected(now(), host.name(), stats == null ? 0 : stats.tookMs(),
                    stats != null && stats.runtimeShipped(), stats != null && stats.agentShipped(),
                    // facts reported earlier are not recorded again as if gathered now
                    stats == null ? 0 : stats.bytesShipped(), session.factsReused() ? null : h.facts()));
        } catch (UnreachableException e) {
            if (e.getCause() instanceof FactsRefusedException refused) {
                refuse(playKey, play, h, refused);
                return;
            }
            h.markUnreachable();
            if (h.facts() == null) {
                h.noFacts("unreachable: " + e.getMessage());
            }
            events.on(new RunEvent.HostUnreachable(now(), host.name(), e.getMessage()));
        }
    }

    /**
     * The host answered, but with facts that do not have their shape: it fails as a task of its own would
     * (Ansible's failed fact gathering), and has no facts at all in this run, not even cached ones, so no
     * template renders anything it reported.
     */
    private void refuse(PlayKey playKey, String play, HostRunState h, FactsRefusedException refused) {
        h.noFacts(refused.reason());
        h.fail();
        String taskKey = playKey.task(GATHER_FACTS).encoded();
        events.on(new RunEvent.TaskStarted(now(), play, GATHER_FACTS, taskKey, h.name()));
        events.on(new RunEvent.TaskFinished(now(), play, GATHER_FACTS, taskKey, h.name(),
                ModuleResult.failed("facts", refused.getMessage()), false, null, false));
    }

    /** One play's run over its hosts. */
    private final class PlayRun {
        private final Playbook playbook;
        private final Play play;
        private final RunHostRegistry all;
        private final List<String> selected;
        private final ExecutorService pool;
        private final TaskRunner runner;
        private final HostContexts contexts;

        PlayRun(Playbook playbook, Play play, RunHostRegistry all, List<String> selected, ExecutorService pool) {
            this.playbook = playbook;
            this.play = play;
            this.all = all;
            this.selected = selected;
            this.pool = pool;
            this.runner = new TaskRunner(templates, events, options.check(), options.diff(), controllerModules,
                    options.stateDir(), all, secrets, options.defaultTimeoutSec(), cancel);
            this.contexts = new HostContexts(playbook, play, all, selected, options.extraVars());
        }

        /** @return false when the play was aborted */
        boolean linear() {
            for (Task task : tasks()) {
                if (cancel.cancelled()) {
                    return false;
                }
                List<Future<?>> pending = new ArrayList<>();
                for (HostRunState h : active()) {
                    pending.add(pool.submit(() -> runTask(task, h)));
                }
                waitAll(pending);
                if (tooManyFailed()) {
                    events.on(new RunEvent.PlayAborted(now(), play.name(), "more than " + play.maxFailPercent()
                            + "% of the play's hosts failed"));
                    return false;
                }
            }
            return true;
        }

        boolean free() {
            List<Future<?>> pending = new ArrayList<>();
            for (HostRunState h : active()) {
                pending.add(pool.submit(() -> {
                    for (Task task : tasks()) {
                        if (!h.active() || tooManyFailed() || cancel.cancelled()) {
                            return;
                        }
                        runTask(task, h);
                    }
                }));
            }
            waitAll(pending);
            if (cancel.cancelled()) {
                return false;
            }
            if (tooManyFailed()) {
                events.on(new RunEvent.PlayAborted(now(), play.name(), "more than " + play.maxFailPercent()
                        + "% of the play's hosts failed"));
                return false;
            }
            return true;
        }

        private void runTask(Task task, HostRunState h) {
            String taskKey = TaskKey.of(playbook.name(), play.name(), task.name()).encoded();
            ModuleResult result = runner.run(play.name(), taskKey, task, h, item -> contexts.of(h, item));
            if (result.failed() && !task.ignoreErrors() && !h.lost()) {
                h.fail();
            }
        }

        private List<Task> tasks() {
            return play.tasks().stream().filter(t -> options.selects(t.tags())).toList();
        }

        private List<HostRunState> active() {
            return selected.stream().map(all::get).filter(HostRunState::active).toList();
        }

        private boolean tooManyFailed() {
            if (play.maxFailPercent() >= 100 || selected.isEmpty()) {
                return false;
            }
            long failed = selected.stream().map(all::get).filter(HostRunState::out).count();
            return failed * 100.0 / selected.size() > play.maxFailPercent();
        }
    }

    /**
     * Turns the hosts' heartbeats into events: only for this run's hosts that are connected and still
     * in, and none once the run has ended.
     */
    private final class HeartbeatRelay {
        private final RunHostRegistry hosts;
        private boolean stopped;

        HeartbeatRelay(RunHostRegistry hosts) {
            this.hosts = hosts;
        }

        synchronized void heard(String host) {
            HostRunState h = stopped || RunHostRegistry.LOCALHOST.equals(host) ? null : hosts.get(host);
            if (h != null && h.session() != null && !h.unreachable() && !h.lost()) {
                events.on(new RunEvent.Heartbeat(now(), host));
            }
        }

        synchronized void stop() {
            stopped = true;
        }
    }

    private static void waitAll(List<Future<?>> pending) {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a task runner failed unexpectedly", e.getCause());
            }
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
