package dev.rigger.controller.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.agents.AgentRegistryVerticle;
import dev.rigger.controller.security.Secret;
import dev.rigger.controller.security.Tokens;
import dev.rigger.protocol.Addresses;
import dev.rigger.protocol.Hello;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.bridge.BridgeClient;
import dev.rigger.protocol.facts.HostFacts;
import io.vertx.core.Vertx;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a client that never proves a token can cost the bridge: real sockets against the real bridge. */
class BridgeLimitsTest {
    private static final long HELLO_TIMEOUT_MS = 6_000;

    private Vertx vertx;
    private AgentGate gate;
    private AgentBridgeVerticle bridge;
    private int port;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void startBridge() throws IOException {
        System.setProperty(AgentBridgeVerticle.HELLO_TIMEOUT_PROPERTY, String.valueOf(HELLO_TIMEOUT_MS));
        vertx = Vertx.vertx();
        gate = new AgentGate();
        vertx.deployVerticle(new AgentRegistryVerticle(5)).await();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        bridge = new AgentBridgeVerticle(port, gate);
        vertx.deployVerticle(bridge).await();
    }

    @AfterEach
    void stopBridge() {
        System.clearProperty(AgentBridgeVerticle.HELLO_TIMEOUT_PROPERTY);
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is best effort
            }
        }
        vertx.close().await();
    }

    @Test
    void aFrameHeaderAnnouncingTwoGibibytesClosesTheConnectionWithoutBufferingIt() throws Exception {
        long heapBefore = usedHeap();
        long written = 0;
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(Integer.MIN_VALUE);
            byte[] chunk = new byte[64 * 1024];
            try {
                while (written < 256L << 20) {
                    out.write(chunk);
                    written += chunk.length;
                }
            } catch (IOException closed) {
                // what the test expects: the bridge hung up
            }
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(written).as("the connection closed before 256 MiB of the announced 2 GiB got through")
                .isLessThan(64L << 20);
        assertThat(usedHeap() - heapBefore).as("heap growth").isLessThan(32L << 20);
        assertThat(tookMs).isLessThan(5_000);
    }

    @Test
    void aFrameOverOneMebibyteBeforeHelloClosesTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            new DataOutputStream(socket.getOutputStream()).writeInt((1 << 20) + 1);
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).as("closed by the bridge").isEqualTo(-1);
        }
    }

    @Test
    void anAgentThatSaidHelloMaySendFramesUpToSixteenMebibytes() throws Exception {
        try (BridgeClient agent = hello("node1")) {
            agent.send(Addresses.TASK_OUTPUT, tree(TaskOutput.of("t1", "node1", TaskOutput.Stream.stdout,
                    "x".repeat(4 << 20))));
            agent.ping();
            Thread.sleep(500);
            assertThat(agent.closed()).as("a 4 MiB frame after hello is within the limit").isNotDone();
        }
    }

    @Test
    void aFloodOfIdleConnectionsKeepsOnlyTheCapAndTheHelloDeadlineClosesTheRest() throws Exception {
        for (int i = 0; i < 3_000; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            sockets.add(socket);
        }
        long flooded = System.nanoTime();
        // connections the kernel completed wait in the accept queue until the bridge takes them
        List<Socket> stillOpen = sockets;
        for (int i = 0; i < 30 && stillOpen.size() > 64; i++) {
            Thread.sleep(100);
            stillOpen = stillOpen.stream().filter(BridgeLimitsTest::isOpen).toList();
        }
        long open = stillOpen.size();
        long tookMs = (System.nanoTime() - flooded) / 1_000_000;
        assertThat(open).as("connections without a hello still open after %d ms", tookMs).isLessThanOrEqualTo(64);
        assertThat(tookMs).as("the ones over the cap are closed at once, not at the deadline")
                .isLessThan(HELLO_TIMEOUT_MS / 2);
        assertThat(bridge.pendingConnections()).isLessThanOrEqualTo(64);

        try (BridgeClient agent = hello("node1")) {
            assertThat(agent.closed()).as("a real agent still gets in during the flood").isNotDone();

            Thread.sleep(Math.max(0, HELLO_TIMEOUT_MS + 1_000 - (System.nanoTime() - flooded) / 1_000_000));
            assertThat(sockets.stream().filter(BridgeLimitsTest::isOpen).count())
                    .as("open after the hello deadline").isZero();
            assertThat(bridge.pendingConnections()).isZero();
            agent.ping();
            Thread.sleep(200);
            assertThat(agent.closed()).as("the agent that said hello is not on the clock").isNotDone();
        }
    }

    @Test
    void aConnectionThatNeverSaysHelloIsClosedAtTheDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            long started = System.nanoTime();
            socket.setSoTimeout((int) HELLO_TIMEOUT_MS * 3);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(HELLO_TIMEOUT_MS - 500, HELLO_TIMEOUT_MS + 2_000);
        }
    }

    @Test
    void aHelloWithAWrongTokenDoesNotStopTheClock() throws Exception {
        gate.expect("node1", Tokens.oneTime());
        try (BridgeClient agent = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
            try {
                agent.request(Addresses.HELLO, tree(Hello.of("node1", "not-the-token", "test", facts("node1"))),
                        Duration.ofSeconds(5));
            } catch (IOException refused) {
                // expected: the gate refuses it
            }
            agent.closed().get(HELLO_TIMEOUT_MS + 3_000, TimeUnit.MILLISECONDS);
        }
    }

    private BridgeClient hello(String host) throws Exception {
        Secret token = Tokens.oneTime();
        gate.expect(host, token);
        BridgeClient agent = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(5));
        JsonNode welcome = agent.request(Addresses.HELLO, tree(Hello.of(host, token.reveal(), "test", facts(host))),
                Duration.ofSeconds(5));
        assertThat(welcome.path("host").asText()).isEqualTo(host);
        return agent;
    }

    private static boolean isOpen(Socket socket) {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            return in.read() != -1;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static HostFacts facts(String host) {
        return new HostFacts(host, host, null, 2, 1024, List.of(), List.of(), List.of(), null);
    }

    private static JsonNode tree(Object message) {
        return ProtocolJson.toTree(message);
    }
}
