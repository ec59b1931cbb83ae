package dev.rigger.controller.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.ControllerOptions;
import dev.rigger.protocol.Addresses;
import dev.rigger.protocol.Bye;
import dev.rigger.protocol.CancelTask;
import dev.rigger.protocol.Heartbeat;
import dev.rigger.protocol.Hello;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolException;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.ProtocolVersion;
import dev.rigger.protocol.Ready;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.TaskResult;
import dev.rigger.protocol.Welcome;
import dev.rigger.protocol.facts.FactShapes;
import dev.rigger.protocol.facts.HostFacts;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's side of the agent protocol: answers hellos, learns when agents are ready, routes
 * task output and results to whoever is waiting for them. Its handlers only complete futures, so the
 * event loop never waits; the executor's threads do the waiting.
 *
 * <p>It also watches liveness: every message from a host proves it alive, and a periodic check fails
 * the tasks of a busy host that stayed silent past the loss threshold with {@link AgentLostException},
 * instead of letting them wait for their timeout. A lost host stays out until it connects again.
 */
public final class AgentRegistryVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRegistryVerticle.class);

    private final int heartbeatSec;
    private final long lostAfterMs;
    /** Only touched on this verticle's event loop: by the message handlers and the periodic check. */
    private final HeartbeatWatchdog watchdog;
    private final HeartbeatThrottle throttle;
    private final List<Consumer<String>> heartbeatListeners = new CopyOnWriteArrayList<>();
    /** Lost hosts and why, so that a task sent to them later says so rather than "gone". */
    private final Map<String, String> lost = new ConcurrentHashMap<>();
    private long watchTimer = -1;
    private final Map<String, HostFacts> helloFacts = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<HostFacts>> ready = new ConcurrentHashMap<>();
    private final Map<String, PendingTask> tasks = new ConcurrentHashMap<>();
    private final Map<String, Long> lastHeartbeat = new ConcurrentHashMap<>();
    /** Hosts whose agent went away: a task sent to them fails at once instead of waiting for its timeout. */
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    /**
     * Output lines go to the run's listeners (console, log files), which may block; they are handed to
     * one thread of their own, in order, so the event loop only routes.
     */
    private final ExecutorService outputDelivery =
            Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "task-output");
                t.setDaemon(true);
                return t;
            });

    /**
     * Output lines waiting for the output thread, and their characters. Past either bound a line is not
     * queued but counted, and the task's next delivered line is preceded by one saying how many were
     * dropped: a task printing faster than the run's listeners can write costs bounded memory, and the
     * run log says where lines are missing. The event loop cannot wait, so dropping is the only choice
     * short of pausing the agent's connection (which would also hold back its heartbeats).
     */
    public static final int MAX_QUEUED_LINES = 20_000;
    public static final long MAX_QUEUED_CHARS = 4L << 20;
    private final AtomicInteger queuedLines = new AtomicInteger();
    private final AtomicLong queuedChars = new AtomicLong();

    private record PendingTask(String host, String module, CompletableFuture<ModuleResult> result,
                               Consumer<TaskOutput> output, AtomicLong dropped) {
        PendingTask(String host, String module, CompletableFuture<ModuleResult> result, Consumer<TaskOutput> output) {
            this(host, module, result, output, new AtomicLong());
        }

        /** On the output thread: says how many lines were dropped since the last delivered one, if any. */
        void reportDropped(String taskId) {
            long n = dropped.getAndSet(0);
            if (n > 0) {
                output.accept(TaskOutput.of(taskId, host, TaskOutput.Stream.stderr, "\u2026 " + n
                        + " lines dropped: the task printed faster than the controller could record"));
            }
        }
    }

    /** With the default loss threshold for that heartbeat interval. */
    public AgentRegistryVerticle(int heartbeatSec) {
        this(heartbeatSec, ControllerOptions.defaultLostAfterSec(heartbeatSec));
    }

    /**
     * @param heartbeatSec how often agents are told to send a heartbeat
     * @param lostAfterSec silence after which a host with a running task is lost; 0 never
     */
    public AgentRegistryVerticle(int heartbeatSec, int lostAfterSec) {
        this.heartbeatSec = heartbeatSec;
        this.lostAfterMs = lostAfterSec * 1000L;
        this.watchdog = new HeartbeatWatchdog(lostAfterMs, HeartbeatWatchdog.tickMillis(lostAfterMs));
        this.throttle = new HeartbeatThrottle(heartbeatSec * 1000L);
    }

    @Override
    public Future<?> start() {
        var bus = vertx.eventBus();
        bus.<JsonObject>consumer(Addresses.HELLO, this::onHello);
        bus.<JsonObject>consumer(Addresses.READY, m -> decode(m, Ready.class, r -> {
            heard(r.host());
            HostFacts facts = helloFacts.remove(r.host());
            CompletableFuture<HostFacts> waiting = ready.remove(r.host());
            if (waiting != null) {
                waiting.complete(facts);
            }
        }));
        // the busiest address by far: the event loop only routes (and counts), the output thread decodes
        bus.<JsonObject>consumer(Addresses.TASK_OUTPUT, this::onOutput);
        bus.<JsonObject>consumer(Addresses.TASK_RESULT, m -> decode(m, TaskResult.class, r -> {
            heard(r.host());
            PendingTask pending = tasks.get(r.taskId());
            // a result for another host's task id is ignored: the bridge already bound host to connection
            if (pending != null && pending.host().equals(r.host())) {
                tasks.remove(r.taskId());
                // through the same thread as the output, so a task's last lines come before its result
                outputDelivery.execute(() -> {
                    pending.reportDropped(r.taskId());
                    pending.result().complete(r.result());
                });
            }
        }));
        bus.<JsonObject>consumer(Addresses.HEARTBEAT, m -> decode(m, Heartbeat.class, this::onHeartbeat));
        bus.<JsonObject>consumer(Addresses.BYE, m -> decode(m, Bye.class,
                b -> gone(b.host(), "agent on " + b.host() + " stopped: " + b.reason())));
        if (watchdog.enabled()) {
            watchTimer = vertx.setPeriodic(HeartbeatWatchdog.tickMillis(lostAfterMs), id -> checkSilence());
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        if (watchTimer >= 0) {
            vertx.cancelTimer(watchTimer);
        }
        outputDelivery.shutdown();
        return Future.succeededFuture();
    }

    private void onOutput(Message<JsonObject> message) {
        JsonObject body = message.body();
        Object taskId = body == null ? null : body.getValue("taskId");
        Object host = body == null ? null : body.getValue("host");
        Object line = body == null ? null : body.getValue("line");
        if (!(taskId instanceof String id) || !(host instanceof String from)) {
            LOG.warn("dropped a malformed TaskOutput: no taskId or host");
            return;
        }
        heard(from);
        PendingTask pending = tasks.get(id);
        if (pending == null || !pending.host().equals(from)) {
            return;
        }
        long chars = line instanceof String text ? text.length() : 0;
        if (queuedLines.get() >= MAX_QUEUED_LINES || queuedChars.get() + chars > MAX_QUEUED_CHARS) {
            pending.dropped().incrementAndGet();
            return;
        }
        queuedLines.incrementAndGet();
        queuedChars.addAndGet(chars);
        outputDelivery.execute(() -> {
            queuedLines.decrementAndGet();
            queuedChars.addAndGet(-chars);
            TaskOutput o = output(id, from, body);
            if (o == null) {
                return;
            }
            pending.reportDropped(id);
            pending.output().accept(o);
        });
    }

    /** A TaskOutput read straight from its fields (this address carries most of the traffic); null if malformed. */
    private static TaskOutput output(String taskId, String host, JsonObject body) {
        Object stream = body.getValue("stream");
        Object line = body.getValue("line");
        if (!(line instanceof String text) || !("stdout".equals(stream) || "stderr".equals(stream))) {
            LOG.warn("dropped a malformed TaskOutput of task {}: expected a stream (stdout, stderr) and a line", taskId);
            return null;
        }
        Object v = body.getValue("v");
        return new TaskOutput(v instanceof Number n ? n.intValue() : ProtocolVersion.CURRENT, taskId, host,
                TaskOutput.Stream.valueOf((String) stream), text);
    }

    private void onHeartbeat(Heartbeat h) {
        long now = System.currentTimeMillis();
        lastHeartbeat.put(h.host(), now);
        heard(h.host());
        if (!heartbeatListeners.isEmpty() && !lost.containsKey(h.host()) && throttle.admit(h.host(), now)) {
            // listeners write logs and consoles: never on the event loop
            outputDelivery.execute(() -> heartbeatListeners.forEach(l -> l.accept(h.host())));
        }
    }

    /** Monotonic time: a wall clock set back must not make a host look silent. */
    private void heard(String host) {
        watchdog.heard(host, monotonicMillis());
    }

    private void checkSilence() {
        Set<String> busy = new HashSet<>();
        tasks.values().forEach(t -> busy.add(t.host()));
        for (HeartbeatWatchdog.Silence s : watchdog.tick(monotonicMillis(), busy)) {
            lost(s.host(), s.silentMs());
        }
    }

    /** The host went silent while busy: its waiting tasks fail, and later ones fail at once. */
    private void lost(String host, long silentMs) {
        watchdog.forget(host);
        throttle.forget(host);
        Map<String, PendingTask> waiting = new LinkedHashMap<>();
        tasks.entrySet().removeIf(e -> {
            if (e.getValue().host().equals(host)) {
                waiting.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        String why = null;
        List<Runnable> failures = new ArrayList<>();
        for (PendingTask p : waiting.values()) {
            AgentLostException error = new AgentLostException(host, p.module(), silentMs, lostAfterMs);
            why = why != null ? why : error.getMessage();
            failures.add(() -> p.result().completeExceptionally(error));
        }
        why = why != null ? why : host + " fell silent for " + silentMs + " ms";
        // known as lost before anyone waiting learns of it
        lost.put(host, why);
        gone.add(host);
        // after any output lines already queued for them
        failures.forEach(outputDelivery::execute);
        // should it be only the link that is silent, the agent stops the tasks nobody waits for
        waiting.keySet().forEach(id -> vertx.eventBus().send(Addresses.cancel(host),
                toJson(CancelTask.of(id, host, "its host was declared lost"))));
        LOG.warn("{}", why);
    }

    /**
     * Calls {@code listener} with the host's name when a heartbeat arrives, at most once per heartbeat
     * interval and host, and never for a lost host. It is called on a thread of its own, in order with
     * task output.
     *
     * @return removes the listener
     */
    public Runnable onHeartbeat(Consumer<String> listener) {
        heartbeatListeners.add(listener);
        return () -> heartbeatListeners.remove(listener);
    }

    /** Whether the host was declared lost since it last connected. */
    public boolean isLost(String host) {
        return lost.containsKey(host);
    }

    private static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    private void onHello(Message<JsonObject> message) {
        Hello hello;
        try {
            hello = ProtocolJson.fromTree(ProtocolJson.MAPPER.readTree(message.body().encode()), Hello.class);
        } catch (JsonProcessingException | ProtocolException e) {
            LOG.warn("dropped a malformed Hello: {}", FactShapes.quote(e.getMessage()));
            // facts without even their types ("cpuCount": "many") must not leave the host's connect waiting for
            // a ready that never comes; the bridge bound the hello's host to the agent's token, so it is the
            // name that connect waits under
            String host = message.body().getValue("host") instanceof String h ? h : null;
            if (host != null) {
                refuse(new FactsRefusedException(host, "the hello does not read as one: " + FactShapes.quote(e.getMessage())));
            }
            message.fail(400, e.getMessage());
            return;
        }
        try {
            FactsGate.admit(hello.host(), hello.facts());
        } catch (FactsRefusedException e) {
            LOG.warn("{}", e.getMessage());
            refuse(e);
            message.fail(400, e.getMessage());
            return;
        }
        helloFacts.put(hello.host(), hello.facts());
        message.reply(toJson(Welcome.of(hello.host(), heartbeatSec)));
    }

    /** Nothing keeps or renders the host's facts: whoever waits for it learns why it is out. */
    private void refuse(FactsRefusedException e) {
        CompletableFuture<HostFacts> waiting = ready.remove(e.host());
        if (waiting != null) {
            waiting.completeExceptionally(e);
        }
    }

    /** Completes with the host's facts once its agent said hello and registered its task address. */
    public CompletableFuture<HostFacts> awaitReady(String host) {
        gone.remove(host);
        lost.remove(host);
        return ready.computeIfAbsent(host, h -> new CompletableFuture<>());
    }

    /** Sends a task to the host's agent; the future completes with the agent's result. */
    public CompletableFuture<ModuleResult> run(RunTask task, Consumer<TaskOutput> output) {
        CompletableFuture<ModuleResult> result = new CompletableFuture<>();
        String lostBefore = lost.get(task.host());
        if (lostBefore != null) {
            result.completeExceptionally(new AgentLostException(task.host(), task.module(), lostBefore));
            return result;
        }
        if (gone.contains(task.host())) {
            result.completeExceptionally(new AgentGoneException("the agent on " + task.host() + " is gone"));
            return result;
        }
        tasks.put(task.taskId(), new PendingTask(task.host(), task.module(), result, output));
        vertx.eventBus().send(Addresses.tasks(task.host()), toJson(task));
        return result;
    }

    /**
     * Abandons a task the controller no longer waits for (its time is up, or its run was cancelled): the
     * agent is told to stop it, which kills its commands and what they started.
     */
    public void abandon(String taskId, String reason) {
        PendingTask pending = tasks.remove(taskId);
        if (pending != null) {
            sendCancel(taskId, pending.host(), reason);
        }
    }

    private void sendCancel(String taskId, String host, String reason) {
        if (!gone.contains(host)) {
            vertx.eventBus().send(Addresses.cancel(host), toJson(CancelTask.of(taskId, host, reason)));
        }
    }

    /** The agent of {@code host} is gone: everything waiting on it fails with {@code reason}. */
    public void gone(String host, String reason) {
        gone.add(host);
        CompletableFuture<HostFacts> waiting = ready.remove(host);
        if (waiting != null) {
            waiting.completeExceptionally(new AgentGoneException(reason));
        }
        tasks.entrySet().removeIf(e -> {
            if (e.getValue().host().equals(host)) {
                e.getValue().result().completeExceptionally(new AgentGoneException(reason));
                return true;
            }
            return false;
        });
    }

    public Long lastHeartbeatMillis(String host) {
        return lastHeartbeat.get(host);
    }

    private static JsonObject toJson(Object message) {
        try {
            return new JsonObject(ProtocolJson.MAPPER.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            throw new ProtocolException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    private static <T> void decode(Message<JsonObject> message, Class<T> type, Consumer<T> handler) {
        try {
            JsonNode node = ProtocolJson.MAPPER.readTree(message.body().encode());
            handler.accept(ProtocolJson.fromTree(node, type));
        } catch (JsonProcessingException | ProtocolException e) {
            LOG.warn("dropped a malformed {}: {}", type.getSimpleName(), e.getMessage());
            if (message.replyAddress() != null) {
                message.fail(400, e.getMessage());
            }
        }
    }
}
