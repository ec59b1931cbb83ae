package dev.rigger.controller.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.bridge.AgentBridgeVerticle;
import dev.rigger.controller.bridge.AgentGate;
import dev.rigger.controller.security.Secret;
import dev.rigger.controller.security.Tokens;
import dev.rigger.protocol.Addresses;
import dev.rigger.protocol.Heartbeat;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.Ready;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.TaskResult;
import dev.rigger.protocol.bridge.BridgeClient;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's liveness watch behind the real bridge, with agents spoken by the protocol's real bridge
 * client: a heartbeat every second, lost after one second of silence.
 */
class AgentLivenessTest {
    private static final int LOST_AFTER_SEC = 1;
    /** Only a guard against hanging for ever; no test waits for it. */
    private static final long GUARD_SEC = 30;

    private Vertx vertx;
    private AgentGate gate;
    private AgentRegistryVerticle registry;
    private int port;
    private final List<BridgeClient> agents = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBridge() throws IOException {
        vertx = Vertx.vertx();
        gate = new AgentGate();
        registry = new AgentRegistryVerticle(1, LOST_AFTER_SEC);
        vertx.deployVerticle(registry).await();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        vertx.deployVerticle(new AgentBridgeVerticle(port, gate)).await();
    }

    @AfterEach
    void stopBridge() {
        agents.forEach(BridgeClient::close);
        vertx.close().await();
    }

    private static JsonNode tree(Object message) {
        return ProtocolJson.toTree(message);
    }

    /** An agent that said hello and is ready; {@code onTask} gets each task sent to it. */
    private BridgeClient agent(String host, Consumer<RunTask> onTask) throws Exception {
        Secret token = Tokens.oneTime();
        gate.expect(host, token);
        CompletableFuture<?> ready = registry.awaitReady(host);
        BridgeClient agent = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5));
        agents.add(agent);
        ObjectNode hello = ProtocolJson.MAPPER.createObjectNode().put("v", 1).put("host", host)
                .put("token", token.reveal()).put("agentVersion", "test");
        hello.putObject("facts").put("hostname", host);
        agent.request(Addresses.HELLO, hello, Duration.ofSeconds(5));
        agent.register(Addresses.tasks(host), frame -> onTask.accept(ProtocolJson.fromTree(frame.body(), RunTask.class)));
        agent.publish(Addresses.READY, tree(Ready.of(host)));
        ready.get(GUARD_SEC, TimeUnit.SECONDS);
        return agent;
    }

    private static RunTask task(String id, String host) {
        return RunTask.of(id, host, "command", ProtocolJson.MAPPER.createObjectNode(), false, false, 60);
    }

    @Test
    void aTaskOnAnAgentThatFallsSilentFailsAsLostNamingTheHostTheModuleAndTheSilence() throws Exception {
        CompletableFuture<RunTask> received = new CompletableFuture<>();
        agent("node1", received::complete);

        CompletableFuture<ModuleResult> result = registry.run(task("t1", "node1"), o -> { });

        assertThat(received.get(GUARD_SEC, TimeUnit.SECONDS).taskId()).as("the agent got the task, then froze").isEqualTo("t1");
        assertThatThrownBy(() -> result.get(GUARD_SEC, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AgentLostException.class)
                .hasMessageContaining("node1").hasMessageContaining("command").hasMessageContaining("lost after 1.0 s")
                .satisfies(e -> assertThat(((AgentLostException) e).silentMs()).isGreaterThanOrEqualTo(LOST_AFTER_SEC * 1000L));
        assertThat(registry.isLost("node1")).isTrue();
    }

    @Test
    void aTaskSentToALostHostFailsAtOnceSayingItWasLostEarlier() throws Exception {
        agent("node1", t -> { });
        CompletableFuture<ModuleResult> first = registry.run(task("t1", "node1"), o -> { });
        assertThatThrownBy(() -> first.get(GUARD_SEC, TimeUnit.SECONDS)).cause().isInstanceOf(AgentLostException.class);

        CompletableFuture<ModuleResult> second = registry.run(task("t2", "node1"), o -> { });

        assertThat(second).as("nothing is sent to a lost host: it fails without waiting").isCompletedExceptionally();
        assertThatThrownBy(second::join).cause().isInstanceOf(AgentLostException.class)
                .hasMessageContaining("node1 was lost earlier");
    }

    @Test
    void anAgentThatKeepsSendingOutputIsAliveWithoutHeartbeatsAndItsResultArrives() throws Exception {
        BridgeClient[] self = new BridgeClient[1];
        self[0] = agent("node1", task -> new Thread(() -> {
            try {
                // three times the threshold, never silent for more than a third of it
                for (int i = 0; i < 9; i++) {
                    self[0].send(Addresses.TASK_OUTPUT, tree(TaskOutput.of(task.taskId(), "node1", TaskOutput.Stream.stdout,
                            "line " + i)));
                    Thread.sleep(LOST_AFTER_SEC * 1000L / 3);
                }
                self[0].send(Addresses.TASK_RESULT, tree(TaskResult.of(task.taskId(), "node1",
                        new ModuleResult("command", Status.CHANGED, true, "slow but alive", null, Map.of(), List.of(), 3000))));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).start());
        List<String> lines = new CopyOnWriteArrayList<>();

        ModuleResult result = registry.run(task("t1", "node1"), o -> lines.add(o.line())).get(GUARD_SEC, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(Status.CHANGED);
        assertThat(lines).hasSize(9);
        assertThat(registry.isLost("node1")).isFalse();
    }

    @Test
    void aBurstOfHeartbeatsReachesTheListenerOnceAndAReconnectedHostIsNoLongerLost() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        Runnable stop = registry.onHeartbeat(heard::add);
        CompletableFuture<RunTask> received = new CompletableFuture<>();
        BridgeClient agent = agent("node1", received::complete);
        CompletableFuture<ModuleResult> result = registry.run(task("t1", "node1"), o -> { });
        String taskId = received.get(GUARD_SEC, TimeUnit.SECONDS).taskId();

        for (int seq = 1; seq <= 5; seq++) {
            agent.send(Addresses.HEARTBEAT, tree(Heartbeat.of("node1", seq, 1)));
        }
        // the result travels behind the heartbeats, through the same queue as the listener's calls
        agent.send(Addresses.TASK_RESULT, tree(TaskResult.of(taskId, "node1", ModuleResult.failed("command", "done"))));
        result.get(GUARD_SEC, TimeUnit.SECONDS);

        assertThat(heard).containsExactly("node1");
        stop.run();
    }
}
