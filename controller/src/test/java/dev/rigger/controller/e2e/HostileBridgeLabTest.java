package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.controller.serve.RiggerServer;
import dev.rigger.controller.serve.ServeOptions;
import dev.rigger.controller.state.JsonFileStateStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bridge as a node's unprivileged user (uid 444) sees it: the remote forward listens on the node's 127.0.0.1, so
 * anyone on the node can connect. From there, a frame header announcing 2 GiB and 3,000 idle sockets while
 * {@code rigger serve} keeps both lab agents attached: the agents stay, the server's heap stays flat and the API
 * answers within a second.
 */
@Tag("lab")
class HostileBridgeLabTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ATTACK = """
            import json, resource, select, socket, struct, sys, time
            port = int(sys.argv[1])
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            out = {"nofile": hard}
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(struct.pack(">I", 2 ** 31))
            sent, chunk = 0, b"x" * 65536
            try:
                s.settimeout(10)
                while sent < 256 * 2 ** 20:
                    s.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass
            out["bigFrameSentBytes"] = sent
            s.close()
            socks = []
            for i in range(3000):
                socks.append(socket.create_connection(("127.0.0.1", port)))
            out["opened"] = len(socks)
            def still_open(socks):
                alive = []
                for c in socks:
                    p = select.poll()
                    p.register(c, select.POLLIN)
                    if not p.poll(0):
                        alive.append(c)
                        continue
                    try:
                        if c.recv(1, socket.MSG_DONTWAIT):
                            alive.append(c)
                    except BlockingIOError:
                        alive.append(c)
                    except OSError:
                        pass
                return alive
            time.sleep(3)
            socks = still_open(socks)
            out["openAfter3s"] = len(socks)
            time.sleep(10)
            out["openAfter13s"] = len(still_open(socks))
            print(json.dumps(out))
            """;

    private static LabRun cluster;
    private static RiggerServer server;
    private static String token;

    @BeforeAll
    static void labUp() throws IOException {
        cluster = new LabRun("bootstrap-bridge", 2, "prepare-hosts.json");
    }

    @AfterAll
    static void labDown() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNodeUsersHugeFrameAndIdleSocketFloodCostTheServerNeitherItsAgentsNorItsHeapNorItsApi() throws Exception {
        server = RiggerServer.start(new ServeOptions(
                new ControllerOptions(cluster.stateDir, ControllerOptions.defaultAgentJar(), false, 5, false),
                "127.0.0.1", 0, Path.of(System.getProperty("rigger.playbooks", "../playbooks")), "prepare-hosts.json",
                Map.of(), HostileBridgeLabTest::inventory, ServeOptions.DEFAULT_MAX_BODY_BYTES, "lab:" + cluster.name));
        token = Files.readString(cluster.stateDir.resolve("serve.token")).strip();
        waitAttached("node1");
        waitAttached("node2");
        Node node = cluster.node("node1");
        String port = node.sh("ps -eo args | sed -n 's/.* connect --host-name node1 --port \\([0-9]*\\).*/\\1/p'");
        assertThat(node.sh("ss -Hltn 'sport = :" + port + "'")).as("the forward, on the node's loopback")
                .contains("127.0.0.1:" + port);
        node.sh("cat > /tmp/attack.py <<'EOF'\n" + ATTACK + "EOF\nchmod 0644 /tmp/attack.py");
        assertThat(getHosts().statusCode()).as("a first call, before the attack").isEqualTo(200);
        long heapBefore = usedHeap();

        CompletableFuture<Node.Result> attack = CompletableFuture.supplyAsync(() -> attack(node, port));
        long slowestMs = 0;
        List<Long> latencies = new ArrayList<>();
        int calls = 0;
        boolean alwaysAttached = true;
        while (!attack.isDone()) {
            long started = System.nanoTime();
            HttpResponse<String> hosts = getHosts();
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            latencies.add(tookMs);
            slowestMs = Math.max(slowestMs, tookMs);
            calls++;
            assertThat(hosts.statusCode()).isEqualTo(200);
            alwaysAttached &= server.attached("node1") && server.attached("node2");
            Thread.sleep(200);
        }
        Node.Result result = attack.get(5, TimeUnit.SECONDS);
        long heapGrowth = usedHeap() - heapBefore;
        System.out.printf("bridge flood: %s; API: %d calls, slowest %d ms (%s); heap growth %d KiB%n",
                result.out().strip(), calls, slowestMs, latencies, heapGrowth >> 10);

        assertThat(result.exit()).as(result.out()).isZero();
        JsonNode report = LabRun.JSON.readTree(result.out().strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertThat(report.path("bigFrameSentBytes").asLong()).as("the 2 GiB frame was cut off at its header")
                .isLessThan(64L << 20);
        assertThat(report.path("opened").asInt()).isEqualTo(3000);
        assertThat(report.path("openAfter3s").asInt()).as("idle connections kept").isLessThanOrEqualTo(64);
        assertThat(report.path("openAfter13s").asInt()).as("idle connections after the hello deadline").isZero();
        assertThat(alwaysAttached).as("both agents stayed attached through the flood").isTrue();
        assertThat(server.attached("node1") && server.attached("node2")).isTrue();
        assertThat(slowestMs).as("GET /api/hosts during the flood").isLessThan(1_000);
        assertThat(heapGrowth).as("heap growth").isLessThan(64L << 20);
    }

    private static HttpResponse<String> getHosts() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/hosts"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Node.Result attack(Node node, String port) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", "-u", "444", node.container(), "python3",
                "/tmp/attack.py", port));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(120, TimeUnit.SECONDS);
            return new Node.Result(p.exitValue(), out);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void waitAttached(String host) throws InterruptedException {
        for (int i = 0; i < 600 && !server.attached(host); i++) {
            Thread.sleep(100);
        }
        assertThat(server.attached(host)).as("%s's agent attached after the server started", host).isTrue();
    }

    private static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static Inventory inventory() throws InventoryException {
        try {
            return InventoryLoader.merge(InventoryLoader.read(InventoryLoader.labInventory(cluster.stateDir, cluster.name)),
                    JsonFileStateStore.peekHosts(cluster.stateDir));
        } catch (IOException e) {
            throw new InventoryException(e.getMessage());
        }
    }
}
