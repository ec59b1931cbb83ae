package dev.rigger.controller.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.agents.AgentRegistryVerticle;
import dev.rigger.controller.security.Secret;
import dev.rigger.controller.security.Tokens;
import dev.rigger.protocol.Addresses;
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
}
