package dev.rigger.controller.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.agents.AgentRegistryVerticle;
import dev.rigger.controller.security.Secret;
import dev.rigger.controller.security.Tokens;
import dev.rigger.protocol.Addresses;
import dev.rigger.protocol.CancelTask;
import dev.rigger.protocol.Hello;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.Ready;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.TaskResult;
import dev.rigger.protocol.bridge.BridgeClient;
import dev.rigger.protocol.facts.HostFacts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Vert.x TCP bridge, spoken to by the agent's real blocking client over real sockets. */
class AgentBridgeTest {
    private Vertx vertx;
    private AgentGate gate;
    private AgentRegistryVerticle registry;
    private int port;

    @BeforeEach
    void startBridge() throws IOException {
        vertx = Vertx.vertx();
        gate = new AgentGate();
        registry = new AgentRegistryVerticle(5);
        vertx.deployVerticle(registry).await();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        vertx.deployVerticle(new AgentBridgeVerticle(port, gate)).await();
    }

    @AfterEach
    void stopBridge() {
        vertx.close().await();
    }

    private static HostFacts facts(String host) {
        return new HostFacts(host, host, null, 2, 1024, List.of(), List.of(), List.of(), null);
    }

    private static JsonNode tree(Object message) {
        return ProtocolJson.toTree(message);
    }

    @Test
    void anAgentWithItsTokenIsWelcomedAndReceivesTasksAndItsResultReachesTheController() throws Exception {
        Secret token = Tokens.oneTime();
        gate.expect("node1", token);
        CompletableFuture<HostFacts> ready = registry.awaitReady("node1");
        try (BridgeClient agent = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
            JsonNode welcome = agent.request(Addresses.HELLO, tree(Hello.of("node1", token.reveal(), "test", facts("node1"))),
                    Duration.ofSeconds(5));
            assertThat(welcome.path("host").asText()).isEqualTo("node1");
            agent.register(Addresses.tasks("node1"), frame -> {
                RunTask task = ProtocolJson.fromTree(frame.body(), RunTask.class);
                try {
                    agent.send(Addresses.TASK_OUTPUT, tree(TaskOutput.of(task.taskId(), "node1", TaskOutput.Stream.stdout, "hello")));
                    agent.send(Addresses.TASK_RESULT, tree(TaskResult.of(task.taskId(), "node1",
                            new ModuleResult(task.module(), Status.CHANGED, true, "did it", null, Map.of("x", 1), List.of(), 3))));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            agent.publish(Addresses.READY, tree(Ready.of("node1")));

            assertThat(ready.get(5, TimeUnit.SECONDS).hostname()).as("facts from the hello reach the controller").isEqualTo("node1");
            List<String> lines = new CopyOnWriteArrayList<>();
            ModuleResult result = registry.run(RunTask.of("t1", "node1", "command", ProtocolJson.MAPPER.createObjectNode(),
                    false, false, 0), o -> lines.add(o.line())).get(5, TimeUnit.SECONDS);
            assertThat(result.status()).isEqualTo(Status.CHANGED);
            assertThat(result.data()).containsEntry("x", 1);
            assertThat(lines).containsExactly("hello");
        }
    }

    @Test
    void aHelloWithAWrongTokenIsRefused() throws Exception {
        gate.expect("node1", Tokens.oneTime());
        try (BridgeClient agent = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> agent.request(Addresses.HELLO, tree(Hello.of("node1", "not-the-token", "test", facts("node1"))),
                    Duration.ofSeconds(5))).isInstanceOf(IOException.class).hasMessageContaining("blocked by bridgeEvent handler");
        }
    }

    @Test
    void aTokenWorksOnlyOnce() throws Exception {
        Secret token = Tokens.oneTime();
        gate.expect("node1", token);
        try (BridgeClient first = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5));
             BridgeClient second = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
            first.request(Addresses.HELLO, tree(Hello.of("node1", token.reveal(), "test", facts("node1"))), Duration.ofSeconds(5));
            assertThatThrownBy(() -> second.request(Addresses.HELLO, tree(Hello.of("node1", token.reveal(), "test", facts("node1"))),
                    Duration.ofSeconds(5))).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anAgentCannotSpeakForAnotherHostNorListenOnItsTasks() throws Exception {
        Secret one = Tokens.oneTime();
        gate.expect("node1", one);
        gate.expect("node2", Tokens.oneTime());
        CompletableFuture<HostFacts> node2Ready = registry.awaitReady("node2");
        try (BridgeClient agent = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
            agent.request(Addresses.HELLO, tree(Hello.of("node1", one.reveal(), "test", facts("node1"))), Duration.ofSeconds(5));
            agent.publish(Addresses.READY, tree(Ready.of("node2")));
            List<String> stolen = new CopyOnWriteArrayList<>();
            agent.register(Addresses.tasks("node2"), f -> stolen.add(f.body().toString()));
            // a ping is answered after the frames before it, so the bridge has judged them by then
            agent.ping();
            Thread.sleep(300);
            assertThat(node2Ready).as("node1's connection may not announce node2").isNotDone();
            registry.run(RunTask.of("t2", "node2", "command", ProtocolJson.MAPPER.createObjectNode(), false, false, 0), o -> { });
            Thread.sleep(300);
            assertThat(stolen).as("node1's connection may not receive node2's tasks").isEmpty();
        }
    }

    @Test
    void anAbandonedTaskIsCancelledOnItsOwnAgentAndNoOtherAgentCanListenForIt() throws Exception {
        Secret one = Tokens.oneTime();
        Secret two = Tokens.oneTime();
        gate.expect("node1", one);
        gate.expect("node2", two);
        try (BridgeClient agent = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5));
             BridgeClient other = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
            agent.request(Addresses.HELLO, tree(Hello.of("node1", one.reveal(), "test", facts("node1"))), Duration.ofSeconds(5));
            other.request(Addresses.HELLO, tree(Hello.of("node2", two.reveal(), "test", facts("node2"))), Duration.ofSeconds(5));
            CompletableFuture<RunTask> received = new CompletableFuture<>();
            CompletableFuture<CancelTask> cancelled = new CompletableFuture<>();
            List<String> stolen = new CopyOnWriteArrayList<>();
            agent.register(Addresses.tasks("node1"), f -> received.complete(ProtocolJson.fromTree(f.body(), RunTask.class)));
            agent.register(Addresses.cancel("node1"), f -> cancelled.complete(ProtocolJson.fromTree(f.body(), CancelTask.class)));
            other.register(Addresses.cancel("node1"), f -> stolen.add(f.body().toString()));
            CompletableFuture<HostFacts> ready = registry.awaitReady("node1");
            agent.publish(Addresses.READY, tree(Ready.of("node1")));
            ready.get(5, TimeUnit.SECONDS);
            CompletableFuture<ModuleResult> result = registry.run(RunTask.of("t9", "node1", "command",
                    ProtocolJson.MAPPER.createObjectNode(), false, false, 0), o -> { });
            assertThat(received.get(5, TimeUnit.SECONDS).taskId()).isEqualTo("t9");
            registry.abandon("t9", "the run was cancelled");
            CancelTask cancel = cancelled.get(5, TimeUnit.SECONDS);
            assertThat(cancel.taskId()).isEqualTo("t9");
            assertThat(cancel.host()).isEqualTo("node1");
            assertThat(cancel.reason()).isEqualTo("the run was cancelled");
            Thread.sleep(300);
            assertThat(stolen).as("node2's connection may not listen on node1's cancel address").isEmpty();
            assertThat(result).isNotDone();
        }
    }

    @Test
    void aTaskPrintingFasterThanTheControllerRecordsCostsABoundedQueueAndTheDropIsCounted() throws Exception {
        Secret token = Tokens.oneTime();
        gate.expect("node1", token);
        int lines = AgentRegistryVerticle.MAX_QUEUED_LINES * 3;
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (BridgeClient agent = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
            agent.request(Addresses.HELLO, tree(Hello.of("node1", token.reveal(), "test", facts("node1"))), Duration.ofSeconds(5));
            agent.register(Addresses.tasks("node1"), frame -> {
                RunTask task = ProtocolJson.fromTree(frame.body(), RunTask.class);
                try {
                    for (int i = 0; i < lines; i++) {
                        agent.send(Addresses.TASK_OUTPUT, tree(TaskOutput.of(task.taskId(), "node1", TaskOutput.Stream.stdout, "line " + i)));
                    }
                    agent.send(Addresses.TASK_RESULT, tree(TaskResult.of(task.taskId(), "node1",
                            new ModuleResult(task.module(), Status.OK, false, null, null, Map.of(), List.of(), 1))));
                    sent.complete(null);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            CompletableFuture<HostFacts> ready = registry.awaitReady("node1");
            agent.publish(Addresses.READY, tree(Ready.of("node1")));
            ready.get(5, TimeUnit.SECONDS);
            CompletableFuture<ModuleResult> result = registry.run(RunTask.of("t1", "node1", "command",
                    ProtocolJson.MAPPER.createObjectNode(), false, false, 0), o -> {
                // the run's listeners are stuck (a full disk, a slow console) while the task prints
                release.join();
                seen.add(o.line());
            });
            sent.get(60, TimeUnit.SECONDS);
            // the bridge reads what was sent within moments; the stuck listener took at most one line
            Thread.sleep(3000);
            release.complete(null);
            assertThat(result.get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.OK);
        }
        String note = seen.stream().filter(l -> l.contains("lines dropped")).findFirst().orElseThrow();
        long dropped = Long.parseLong(note.replaceAll("^\\D*(\\d+) lines dropped.*$", "$1"));
        long delivered = seen.stream().filter(l -> l.startsWith("line ")).count();
        assertThat(delivered).as("at most the queue's bound got through while the listener was stuck")
                .isLessThanOrEqualTo(AgentRegistryVerticle.MAX_QUEUED_LINES + 1L);
        assertThat(delivered + dropped).as("every line is either delivered or counted").isEqualTo(lines);
    }
}
