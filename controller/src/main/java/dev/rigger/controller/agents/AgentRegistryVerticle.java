package dev.rigger.controller.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.protocol.Addresses;
import dev.rigger.protocol.Bye;
import dev.rigger.protocol.Heartbeat;
import dev.rigger.protocol.Hello;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolException;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.Ready;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.TaskResult;
import dev.rigger.protocol.Welcome;
import dev.rigger.protocol.facts.HostFacts;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's side of the agent protocol: answers hellos, learns when agents are ready, routes
 * task output and results to whoever is waiting for them. Its handlers only complete futures, so the
 * event loop never waits; the executor's threads do the waiting.
 */
public final class AgentRegistryVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRegistryVerticle.class);

    private final int heartbeatSec;
    private final Map<String, HostFacts> helloFacts = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<HostFacts>> ready = new ConcurrentHashMap<>();
    private final Map<String, PendingTask> tasks = new ConcurrentHashMap<>();
    private final Map<String, Long> lastHeartbeat = new ConcurrentHashMap<>();
    /** Hosts whose agent went away: a task sent to them fails at once instead of waiting for its timeout. */
    private final java.util.Set<String> gone = ConcurrentHashMap.newKeySet();
    /**
     * Output lines go to the run's listeners (console, log files), which may block; they are handed to
     * one thread of their own, in order, so the event loop only routes.
     */
    private final java.util.concurrent.ExecutorService outputDelivery =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "task-output");
                t.setDaemon(true);
                return t;
            });

    private record PendingTask(String host, CompletableFuture<ModuleResult> result, Consumer<TaskOutput> output) {
    }

    public AgentRegistryVerticle(int heartbeatSec) {
        this.heartbeatSec = heartbeatSec;
    }

    @Override
    public Future<?> start() {
        var bus = vertx.eventBus();
        bus.<JsonObject>consumer(Addresses.HELLO, this::onHello);
        bus.<JsonObject>consumer(Addresses.READY, m -> decode(m, Ready.class, r -> {
            HostFacts facts = helloFacts.remove(r.host());
            CompletableFuture<HostFacts> waiting = ready.remove(r.host());
            if (waiting != null) {
                waiting.complete(facts);
            }
        }));
        bus.<JsonObject>consumer(Addresses.TASK_OUTPUT, m -> decode(m, TaskOutput.class, o -> {
            PendingTask pending = tasks.get(o.taskId());
            if (pending != null && pending.host().equals(o.host())) {
                outputDelivery.execute(() -> pending.output().accept(o));
            }
        }));
        bus.<JsonObject>consumer(Addresses.TASK_RESULT, m -> decode(m, TaskResult.class, r -> {
            PendingTask pending = tasks.get(r.taskId());
            // a result for another host's task id is ignored: the bridge already bound host to connection
            if (pending != null && pending.host().equals(r.host())) {
                tasks.remove(r.taskId());
                // through the same thread as the output, so a task's last lines come before its result
                outputDelivery.execute(() -> pending.result().complete(r.result()));
            }
        }));
        bus.<JsonObject>consumer(Addresses.HEARTBEAT, m -> decode(m, Heartbeat.class,
                h -> lastHeartbeat.put(h.host(), System.currentTimeMillis())));
        bus.<JsonObject>consumer(Addresses.BYE, m -> decode(m, Bye.class,
                b -> gone(b.host(), "agent on " + b.host() + " stopped: " + b.reason())));
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        outputDelivery.shutdown();
        return Future.succeededFuture();
    }

    private void onHello(Message<JsonObject> message) {
        decode(message, Hello.class, hello -> {
            helloFacts.put(hello.host(), hello.facts());
            message.reply(toJson(Welcome.of(hello.host(), heartbeatSec)));
        });
    }

    /** Completes with the host's facts once its agent said hello and registered its task address. */
    public CompletableFuture<HostFacts> awaitReady(String host) {
        gone.remove(host);
        return ready.computeIfAbsent(host, h -> new CompletableFuture<>());
    }

    /** Sends a task to the host's agent; the future completes with the agent's result. */
    public CompletableFuture<ModuleResult> run(RunTask task, Consumer<TaskOutput> output) {
        CompletableFuture<ModuleResult> result = new CompletableFuture<>();
        if (gone.contains(task.host())) {
            result.completeExceptionally(new AgentGoneException("the agent on " + task.host() + " is gone"));
            return result;
        }
        tasks.put(task.taskId(), new PendingTask(task.host(), result, output));
        vertx.eventBus().send(Addresses.tasks(task.host()), toJson(task));
        return result;
    }

    /** Abandons a task the controller no longer waits for (its timeout passed). */
    public void abandon(String taskId) {
        tasks.remove(taskId);
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
