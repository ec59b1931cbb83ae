package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.ControllerOptions;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code rigger facts} with and without a server, and the HTTP API of {@code rigger serve} against two real
 * lab nodes: the token on every call, live facts from attached agents, a run followed while it runs, one
 * run at a time, re-preparing one host.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeApiTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LabRun cluster;
    private static RiggerServer server;
    private static String token;

    @BeforeAll
    static void labUp() throws IOException {
        cluster = new LabRun("serve", 2, "prepare-hosts.json");
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

    private CliRun facts(String... args) {
        List<String> all = new ArrayList<>(List.of("facts"));
        all.addAll(List.of(args));
        all.addAll(List.of("--state", cluster.stateDir.toString(), "--lab", cluster.name));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static List<String> mountpoints(JsonNode facts) {
        List<String> mounts = new ArrayList<>();
        facts.path("mounts").forEach(m -> mounts.add(m.path("mountpoint").asText()));
        return mounts;
    }

    @Test
    @Order(1)
    void withoutAServerFactsComeFromTheCacheSayingTheirAgeAndRefreshGathersAnew() throws IOException {
        CliRun run = cluster.play();
        assertThat(run.exitCode()).as(run.out()).isZero();
        cluster.node("node1").sh("mkdir -p /mnt/probe && mount -t tmpfs probe /mnt/probe");

        CliRun cached = facts("node1", "--json");
        assertThat(cached.exitCode()).as(cached.err()).isZero();
        assertThat(cached.err()).containsPattern("node1: facts cached in .*gathered \\S+, \\d+ min ago");
        assertThat(mountpoints(LabRun.JSON.readTree(cached.out()))).doesNotContain("/mnt/probe");

        CliRun fresh = facts("node1", "--refresh", "--json");
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(fresh.err()).doesNotContain("cached");
        assertThat(mountpoints(LabRun.JSON.readTree(fresh.out()))).contains("/mnt/probe");

        CliRun table = facts("node1", "node2", "--table");
        assertThat(table.out()).containsPattern("(?m)^node1\\s+cache\\s").containsPattern("(?m)^node2\\s+cache\\s");
        CliRun memory = facts("node2", "--filter", "memTotalBytes");
        long memKb = Long.parseLong(cluster.node("node2").sh("awk '/^MemTotal:/ {print $2}' /proc/meminfo"));
        assertThat(memory.out().strip()).isEqualTo(String.valueOf(memKb * 1024));
    }

    @Test
    @Order(2)
    void everyEndpointAnswers401WithoutTheToken() throws Exception {
        server = RiggerServer.start(new ServeOptions(
                new ControllerOptions(cluster.stateDir, ControllerOptions.defaultAgentJar(), false, 5, false),
                "127.0.0.1", 0, Path.of(System.getProperty("rigger.playbooks", "../playbooks")), "prepare-hosts.json",
                java.util.Map.of(), () -> inventory(), ServeOptions.DEFAULT_MAX_BODY_BYTES, "lab:" + cluster.name));
        token = Files.readString(cluster.stateDir.resolve("serve.token")).strip();
        assertThat(Files.getPosixFilePermissions(cluster.stateDir.resolve("serve.token")))
                .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(LabRun.JSON.readTree(cluster.stateDir.resolve("serve.json").toFile()).path("bind").asText())
                .as("loopback unless told otherwise").isEqualTo("127.0.0.1");

        long runsBefore = runLogs();
        String[][] endpoints = {{"GET", "/api/hosts"}, {"GET", "/api/hosts/node1/facts"}, {"POST", "/api/runs"},
                {"GET", "/api/runs"}, {"GET", "/api/runs/x"}, {"GET", "/api/runs/x/events"},
                {"POST", "/api/hosts/node2/reprepare"}, {"GET", "/api/nothing"}};
        for (String[] e : endpoints) {
            for (String header : new String[] {null, "Bearer wrong-token-wrong-token-wrong-token", "Basic " + token}) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + e[1]))
                        .method(e[0], e[0].equals("POST") ? HttpRequest.BodyPublishers.ofString("{\"playbook\":\"prepare-hosts.json\"}")
                                : HttpRequest.BodyPublishers.noBody());
                if (header != null) {
                    b.header("Authorization", header);
                }
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("%s %s with %s", e[0], e[1], header == null ? "no token" : "a wrong one")
                        .isEqualTo(401);
                assertThat(r.body()).doesNotContain(token);
            }
        }
        assertThat(get("/api/runs").statusCode()).as("and the right token passes").isEqualTo(200);
        assertThat(runLogs()).as("no refused call started a run").isEqualTo(runsBefore);
    }

    @Test
    @Order(3)
    void factsComeLiveFromTheAttachedAgentAndTheCliAsksTheServer() throws Exception {
        waitAttached("node1");
        cluster.node("node1").sh("umount /mnt/probe && mkdir -p /mnt/probe2 && mount -t tmpfs probe2 /mnt/probe2");

        HttpResponse<String> r = get("/api/hosts/node1/facts");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = LabRun.JSON.readTree(r.body());
        assertThat(body.path("source").asText()).isEqualTo("live");
        assertThat(mountpoints(body.path("facts"))).contains("/mnt/probe2").doesNotContain("/mnt/probe");

        CliRun cli = facts("node1", "--json");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.err()).doesNotContain("cached");
        assertThat(mountpoints(LabRun.JSON.readTree(cli.out()))).contains("/mnt/probe2");

        HttpResponse<String> unknown = get("/api/hosts/nosuchhost/facts");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("nosuchhost");
    }

    @Test
    @Order(4)
    void aRunStartedThroughTheApiStreamsItsEventsWhileItRunsAndASecondOneGets409() throws Exception {
        HttpResponse<String> started = post("/api/runs", "{\"playbook\":\"prepare-hosts.json\",\"limit\":null,\"check\":false,\"extraVars\":{}}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = LabRun.JSON.readTree(started.body()).path("id").asText();

        HttpResponse<String> second = post("/api/runs", "{\"playbook\":\"prepare-hosts.json\"}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(LabRun.JSON.readTree(second.body()).path("running").asText()).isEqualTo(id);

        HttpResponse<Stream<String>> stream = HTTP.send(request("/api/runs/" + id + "/events").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> types = new ArrayList<>();
        List<String> data = new ArrayList<>();
        String statusAtFirstTask = null;
        Iterator<String> lines = stream.body().iterator();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                types.add(line.substring(7));
                if (line.equals("event: TaskStarted") && statusAtFirstTask == null) {
                    statusAtFirstTask = LabRun.JSON.readTree(get("/api/runs/" + id).body()).path("status").asText();
                }
            } else if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        assertThat(statusAtFirstTask).as("events arrive while the run is still going").isEqualTo("running");
        assertThat(types).first().isEqualTo("RunStarted");
        assertThat(types).last().isEqualTo("RunFinished");
        assertThat(types).contains("TaskStarted", "TaskFinished", "PlayStarted");
        List<String> logged = Files.readAllLines(cluster.stateDir.resolve("runs").resolve(id + ".jsonl"));
        assertThat(data).as("the stream carries the run log's events").isEqualTo(logged);

        JsonNode info = LabRun.JSON.readTree(get("/api/runs/" + id).body());
        assertThat(info.path("status").asText()).isEqualTo("ok");
        assertThat(info.path("recap").path("node1").path("failed").asInt()).isZero();
        assertThat(info.path("tasks").size()).isGreaterThan(3);
        assertThat(LabRun.JSON.readTree(get("/api/runs").body()).path("runs").get(0).path("id").asText()).isEqualTo(id);
    }

    @Test
    @Order(5)
    void rePreparingOneHostRunsThePreparePlaybookOnThatHostAlone() throws Exception {
        HttpResponse<String> started = post("/api/hosts/node2/reprepare", "{}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = LabRun.JSON.readTree(started.body()).path("id").asText();
        JsonNode info = awaitFinished(id);

        assertThat(info.path("status").asText()).isEqualTo("ok");
        assertThat(info.path("limit").asText()).isEqualTo("node2");
        assertThat(info.path("hosts")).extracting(JsonNode::asText).containsExactly("node2");
        assertThat(cluster.lastRunEvents("TaskStarted")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("host").asText()).isEqualTo("node2"));

        JsonNode hosts = LabRun.JSON.readTree(get("/api/hosts").body()).path("hosts");
        assertThat(hosts).extracting(h -> h.path("name").asText()).containsExactly("node1", "node2");
        assertThat(hosts.get(1).path("lastRun").asText()).isEqualTo(id);
        assertThat(hosts.get(1).path("connected").asBoolean()).isTrue();
    }

    @Test
    @Order(6)
    void badRequestsAreRefusedWithWhatWasExpected() throws Exception {
        HttpResponse<String> outside = post("/api/runs", "{\"playbook\":\"../pom.xml\"}");
        assertThat(outside.statusCode()).isEqualTo(400);
        assertThat(outside.body()).contains("outside the playbooks directory");

        HttpResponse<String> notJson = post("/api/runs", "{\"playbook\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("line 1");

        HttpResponse<String> badLimit = post("/api/runs", "{\"playbook\":\"prepare-hosts.json\",\"limit\":\"nosuchhost\"}");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("nosuchhost");

        HttpResponse<String> huge = post("/api/runs", "{\"playbook\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(get("/api/runs").statusCode()).as("the server still answers").isEqualTo(200);
    }

    @Test
    @Order(7)
    void playFromTheCliOfTheSameStateRunsThroughTheServerAndPrintsTheSameRecap() throws Exception {
        CliRun served = cluster.play("--limit", "node1");

        assertThat(served.exitCode()).as(served.out() + served.err()).isZero();
        assertThat(served.err()).contains("running through rigger serve at " + server.url());
        assertThat(served.out()).containsPattern("node1\\s+: ok=\\d+\\s+changed=0\\s+unreachable=0\\s+failed=0");
        String id = cluster.lastRunEvents("RunStarted").get(0).path("runId").asText();
        JsonNode info = LabRun.JSON.readTree(get("/api/runs/" + id).body());
        assertThat(info.path("status").asText()).as("the server ran it").isEqualTo("ok");
        assertThat(info.path("hosts")).extracting(JsonNode::asText).containsExactly("node1");
        assertThat(cluster.lastRunEvents("HostConnected")).allSatisfy(e -> assertThat(e.path("bytesShipped").asLong()).isZero());

        CliRun here = cluster.play("--limit", "node1", "--no-serve");

        assertThat(here.exitCode()).as(here.out() + here.err()).isZero();
        assertThat(here.err()).doesNotContain("running through rigger serve");
        assertThat(get("/api/runs/" + cluster.lastRunEvents("RunStarted").get(0).path("runId").asText()).statusCode())
                .as("the local run is known to the server only from its log").isEqualTo(200);
    }

    @Test
    @Order(8)
    void aPlayThatGathersNoFactsGetsWhatTheAgentReportedLastAndOneThatDoesSeesTheHostAsItIsNow() throws Exception {
        waitAttached("node2");
        dev.rigger.controller.inventory.InventoryHost node2 = inventory().hosts().stream()
                .filter(h -> h.name().equals("node2")).findFirst().orElseThrow();
        try (var gathered = server.agents().connect(node2, true)) {
            assertThat(mountpoints(LabRun.JSON.valueToTree(gathered.facts()))).doesNotContain("/mnt/late");
        }
        cluster.node("node2").sh("mkdir -p /mnt/late && mount -t tmpfs late /mnt/late");
        try {
            try (var kept = server.agents().connect(node2, false)) {
                assertThat(mountpoints(LabRun.JSON.valueToTree(kept.facts())))
                        .as("gatherFacts: false takes the last facts").doesNotContain("/mnt/late");
                assertThat(kept.factsReused()).as("and says they are not new, so no run records them as gathered now").isTrue();
            }
            try (var fresh = server.agents().connect(node2, true)) {
                assertThat(mountpoints(LabRun.JSON.valueToTree(fresh.facts()))).contains("/mnt/late");
            }
            assertThat(server.attached("node2")).as("borrowed sessions leave the agent attached").isTrue();
        } finally {
            cluster.node("node2").sh("umount /mnt/late");
        }
    }

    private static dev.rigger.controller.inventory.Inventory inventory() throws InventoryException {
        try {
            return InventoryLoader.merge(InventoryLoader.read(InventoryLoader.labInventory(cluster.stateDir, cluster.name)),
                    JsonFileStateStore.peekHosts(cluster.stateDir));
        } catch (IOException e) {
            throw new InventoryException(e.getMessage());
        }
    }

    private static long runLogs() throws IOException {
        try (Stream<Path> logs = Files.list(cluster.stateDir.resolve("runs"))) {
            return logs.count();
        }
    }

    private static void waitAttached(String host) throws InterruptedException {
        for (int i = 0; i < 600 && !server.attached(host); i++) {
            Thread.sleep(100);
        }
        assertThat(server.attached(host)).as("%s's agent attached after the server started", host).isTrue();
    }

    private static JsonNode awaitFinished(String id) throws Exception {
        for (int i = 0; i < 1200; i++) {
            JsonNode info = LabRun.JSON.readTree(get("/api/runs/" + id).body());
            if (!"running".equals(info.path("status").asText())) {
                return info;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not finish within 120 s");
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(120));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
