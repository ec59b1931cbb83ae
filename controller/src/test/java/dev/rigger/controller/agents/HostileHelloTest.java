package dev.rigger.controller.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.bridge.AgentBridgeVerticle;
import dev.rigger.controller.bridge.AgentGate;
import dev.rigger.controller.security.Secret;
import dev.rigger.controller.security.Tokens;
import dev.rigger.protocol.Addresses;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.Ready;
import dev.rigger.protocol.bridge.BridgeClient;
import dev.rigger.protocol.facts.HostFacts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Facts in a hello pass the shape checks before anyone waiting for the host gets them, behind the real bridge. */
class HostileHelloTest {
    private static final long GUARD_SEC = 30;

    private Vertx vertx;
    private AgentGate gate;
    private AgentRegistryVerticle registry;
    private int port;
    private BridgeClient agent;

    @BeforeEach
    void startBridge() throws IOException {
        vertx = Vertx.vertx();
        gate = new AgentGate();
        registry = new AgentRegistryVerticle(1, 0);
        vertx.deployVerticle(registry).await();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        vertx.deployVerticle(new AgentBridgeVerticle(port, gate)).await();
    }

    @AfterEach
    void stopBridge() {
        if (agent != null) {
            agent.close();
        }
        vertx.close().await();
    }

    /** Says hello with {@code address} as its default IPv4 address, then ready; the future is the controller's wait. */
    private CompletableFuture<HostFacts> helloWithAddress(String host, String address) throws Exception {
        return hello(host, facts -> facts.putObject("defaultIpv4").put("interfaceName", "eth0").put("address", address)
                .put("gateway", "10.0.0.1"));
    }

    private CompletableFuture<HostFacts> hello(String host, Consumer<ObjectNode> facts) throws Exception {
        Secret token = Tokens.oneTime();
        gate.expect(host, token);
        CompletableFuture<HostFacts> ready = registry.awaitReady(host);
        agent = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5));
        ObjectNode hello = ProtocolJson.MAPPER.createObjectNode().put("v", 1).put("host", host)
                .put("token", token.reveal()).put("agentVersion", "test");
        facts.accept(hello.putObject("facts").put("hostname", host));
        try {
            agent.request(Addresses.HELLO, hello, Duration.ofSeconds(5));
            agent.publish(Addresses.READY, ProtocolJson.toTree(Ready.of(host)));
        } catch (Exception e) {
            // the controller answers a refused hello with a failure: the agent has nothing more to say
        }
        return ready;
    }

    @Test
    void aHelloWithAHostileAddressIsRefusedNamingTheHostTheFieldAndTheValue() throws Exception {
        CompletableFuture<HostFacts> ready = helloWithAddress("node2", "10.0.0.2\n6.6.6.6 node1");

        assertThatThrownBy(() -> ready.get(GUARD_SEC, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(FactsRefusedException.class)
                .hasMessage("node2: facts refused: /defaultIpv4/address: expected an IPv4 address, got \"10.0.0.2\\n6.6.6.6 node1\"");
    }

    @Test
    void aHelloWithACommaInTheAddressIsRefused() throws Exception {
        CompletableFuture<HostFacts> ready = helloWithAddress("node2", "10.0.0.2,6.6.6.6");

        assertThatThrownBy(() -> ready.get(GUARD_SEC, TimeUnit.SECONDS)).cause()
                .isInstanceOf(FactsRefusedException.class).hasMessageContaining("got \"10.0.0.2,6.6.6.6\"");
    }

    @Test
    void aHelloWhoseFactsDoNotHaveTheirTypesFailsAtOnceInsteadOfLeavingTheConnectWaiting() throws Exception {
        long started = System.nanoTime();
        CompletableFuture<HostFacts> ready = hello("node2", facts -> facts.put("cpuCount", "many\n6.6.6.6 node1"));

        assertThatThrownBy(() -> ready.get(GUARD_SEC, TimeUnit.SECONDS)).cause()
                .isInstanceOf(FactsRefusedException.class)
                .hasMessageStartingWith("node2: facts refused: the hello does not read as one: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat((System.nanoTime() - started) / 1_000_000_000.0).as("seconds, not the 60 s ready timeout").isLessThan(10);
    }

    @Test
    void aHelloWithWellShapedFactsIsAdmitted() throws Exception {
        CompletableFuture<HostFacts> ready = helloWithAddress("node1", "10.0.0.11");

        assertThat(ready.get(GUARD_SEC, TimeUnit.SECONDS).defaultIpv4().address()).isEqualTo("10.0.0.11");
    }
}
