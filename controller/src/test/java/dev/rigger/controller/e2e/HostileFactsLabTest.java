package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.controller.serve.RiggerServer;
import dev.rigger.controller.serve.ServeOptions;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.lab.LabNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node whose root is hostile reports an address that would add a line to the other nodes' /etc/hosts
 * and a name to ECS's seeds: {@code prepare-hosts.json} on three lab nodes, node2's {@code ip} replaced,
 * as its root could, by a script that rewrites its own address in {@code ip -j addr}'s answer. The
 * controller refuses node2's facts, names the field and the value, and nothing of it reaches the other
 * nodes' files or the state; once node2 is honest again, the next run completes.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileFactsLabTest {
    /** Where the lab image's {@code ip} is ({@code /usr/sbin/ip} and {@code /sbin/ip} link to it). */
    private static final String IP = "/usr/bin/ip";
    private static final String EVIL = "6.6.6.6";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LabRun cluster;
    private static String node2Address;
    private static final Map<String, String> clean = new TreeMap<>();

    @BeforeAll
    static void labUp() throws IOException {
        cluster = new LabRun("facts-hostile", 3, "prepare-hosts.json");
        node2Address = cluster.inventory.nodes().stream().filter(n -> n.name().equals("node2")).findFirst()
                .map(LabNode::address).orElseThrow();
    }

    @AfterAll
    static void labDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The files other nodes render from every node's facts. */
    private static String rendered(String node) {
        return cluster.node(node).sh("cat /etc/hosts; echo; cat /host/files/seeds; echo; cat /host/data/network.json");
    }

    @Test
    @Order(1)
    void aCleanRunPreparesEveryNode() {
        CliRun run = cluster.play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        for (String n : List.of("node1", "node3")) {
            clean.put(n, rendered(n));
            assertThat(clean.get(n)).contains(node2Address + " node2.ecs.lab node2").doesNotContain(EVIL);
        }
    }

    @Test
    @Order(2)
    void aNodeReportingAHostileAddressIsRefusedNamedAndRendersNowhere() throws IOException {
        Node node2 = cluster.node("node2");
        node2.sh(lie());
        assertThat(node2.sh("ip -j addr")).as("the node now lies").contains(node2Address + "\\n" + EVIL + " node1");

        CliRun run = cluster.play();

        assertThat(run.exitCode()).as("a refused host fails the run").isNotZero();
        String said = run.out() + run.err();
        assertThat(said).contains("node2: facts refused: ")
                .contains("/defaultIpv4/address: expected an IPv4 address, got \"" + node2Address + "\\n" + EVIL + " node1\"");
        assertThat(said).containsPattern("node2\\s+: ok=0\\s+changed=0\\s+unreachable=0\\s+failed=1");
        // the others fail where they read node2's facts, told which host has none and why
        assertThat(said).containsPattern("failed: \\[node1\\].*node2 has no facts: facts refused: ");
        for (String n : List.of("node1", "node3")) {
            assertThat(rendered(n)).as("%s's hosts, seeds and network.json are as the clean run left them", n)
                    .isEqualTo(clean.get(n));
            assertThat(cluster.node(n).run("grep -rl '" + EVIL + "' /etc/hosts /host/files /host/data").out())
                    .as("no file on %s holds %s", n, EVIL).isEmpty();
        }

        JsonNode state = LabRun.JSON.readTree(Files.readString(cluster.stateDir.resolve("state.json")));
        assertThat(state.path("hosts").path("node2").path("facts").path("defaultIpv4").path("address").asText())
                .as("node2's cached facts are still those of the clean run").isEqualTo(node2Address);
        assertThat(textsIn(state)).as("no text in state.json holds the hostile line")
                .noneMatch(t -> t.contains("\n" + EVIL));
        List<JsonNode> refused = cluster.lastRunEvents("TaskFinished").stream()
                .filter(e -> e.path("host").asText().equals("node2")).toList();
        assertThat(refused).singleElement().satisfies(e -> {
            assertThat(e.path("task").asText()).isEqualTo("gather facts");
            assertThat(e.path("result").path("msg").asText()).startsWith("node2: facts refused: ");
        });
        assertThat(cluster.lastRunEvents("HostConnected")).extracting(e -> e.path("host").asText())
                .as("node2 never counted as connected").doesNotContain("node2");

        CliRun facts = CliRun.of("facts", "node2", "--refresh", "--json", "--state", cluster.stateDir.toString(),
                "--lab", cluster.name);
        assertThat(facts.exitCode()).as("refused, answered from the cache").isNotZero();
        assertThat(facts.err()).contains("node2: facts refused: ");
        assertThat(LabRun.JSON.readTree(facts.out()).path("defaultIpv4").path("address").asText())
                .as("the cached facts of the clean run, not the hostile ones").isEqualTo(node2Address);
    }

    /**
     * What the node's root can do: every caller of ip, the agent included, sees a second line in node2's
     * address. A shell script, run on node2.
     */
    private static String lie() {
        return "mv " + IP + " " + IP + ".real && cat > " + IP + " <<'EOF'\n"
                + "#!/bin/sh\n"
                + IP + ".real \"$@\" | sed 's/\"" + node2Address + "\"/\"" + node2Address + "\\\\n" + EVIL + " node1\"/g'\n"
                + "EOF\n"
                + "chmod 755 " + IP;
    }

    @Test
    @Order(3)
    void onceTheNodeIsHonestAgainTheNextRunCompletes() {
        cluster.node("node2").sh("mv " + IP + ".real " + IP);

        CliRun run = cluster.play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        for (String n : List.of("node1", "node3")) {
            assertThat(rendered(n)).isEqualTo(clean.get(n));
        }
    }

    @Test
    @Order(4)
    void factsGatheredAgainByATaskAreCheckedAsTheHellosAre() throws IOException {
        // node2 is honest when its agent says hello, and turns hostile during the run
        ObjectNode book = LabRun.JSON.createObjectNode().put("name", "facts gathered again");
        ObjectNode play = book.putArray("plays").addObject().put("name", "gather again").put("hosts", "all");
        ArrayNode tasks = play.putArray("tasks");
        ObjectNode turn = tasks.addObject().put("name", "node2's root turns hostile").put("module", "command")
                .put("when", "inventory_hostname == 'node2'");
        turn.putObject("args").putArray("argv").add("sh").add("-c").add(lie());
        tasks.addObject().put("name", "gather again").put("module", "facts").put("register", "f").putObject("args");
        tasks.addObject().put("name", "every node's address, as gathered again").put("module", "copy")
                .putObject("args").put("dest", "/tmp/addresses")
                .put("content", "{% for h in groups['all'] %}{{ hostvars[h].f.defaultIpv4.address }},{% endfor %}");
        Path file = cluster.stateDir.resolve("gather-again.json");
        Files.writeString(file, LabRun.JSON.writeValueAsString(book));
        try {
            CliRun run = CliRun.of("play", file.toString(), "--state", cluster.stateDir.toString(), "--lab", cluster.name);

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.out()).contains("failed: [node2] node2: facts refused: ")
                    .contains("/defaultIpv4/address: expected an IPv4 address, got \"" + node2Address + "\\n" + EVIL + " node1\"");
            for (String n : List.of("node1", "node3")) {
                assertThat(cluster.node(n).run("cat /tmp/addresses").out()).as("nothing rendered node2's report on %s", n)
                        .doesNotContain(EVIL);
            }
        } finally {
            cluster.node("node2").sh("mv " + IP + ".real " + IP);
        }
    }

    @Test
    @Order(5)
    void throughServeAnAttachedAgentThatTurnsHostileIsRefusedAndDetached() throws Exception {
        RiggerServer server = RiggerServer.start(new ServeOptions(
                new ControllerOptions(cluster.stateDir, ControllerOptions.defaultAgentJar(), false, 5, false),
                "127.0.0.1", 0, Path.of(System.getProperty("rigger.playbooks", "../playbooks")), "prepare-hosts.json",
                Map.of(), HostileFactsLabTest::inventory, ServeOptions.DEFAULT_MAX_BODY_BYTES, "lab:" + cluster.name));
        Node node2 = cluster.node("node2");
        try {
            String token = Files.readString(cluster.stateDir.resolve("serve.token")).strip();
            for (int i = 0; i < 600 && !server.attached("node2"); i++) {
                Thread.sleep(100);
            }
            assertThat(server.attached("node2")).as("node2's agent attached while it was honest").isTrue();
            node2.sh(lie());

            HttpResponse<String> facts = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/hosts/node2/facts"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());

            JsonNode body = LabRun.JSON.readTree(facts.body());
            assertThat(body.path("source").asText()).as(facts.body()).isEqualTo("cache");
            assertThat(body.path("unreachable").asText()).startsWith("node2: facts refused: ")
                    .contains("/defaultIpv4/address: expected an IPv4 address, got \"" + node2Address + "\\n" + EVIL + " node1\"");
            assertThat(body.path("facts").path("defaultIpv4").path("address").asText()).isEqualTo(node2Address);
            assertThat(server.attached("node2")).as("the lying agent is not kept for the next run").isFalse();
            assertThat(facts.body()).as("the hostile value is only in the message, quoted")
                    .doesNotContain("\"address\":\"" + node2Address + "\\n");
        } finally {
            server.close();
            node2.sh("mv " + IP + ".real " + IP);
        }
    }

    private static Inventory inventory() throws InventoryException {
        try {
            return InventoryLoader.merge(InventoryLoader.read(InventoryLoader.labInventory(cluster.stateDir, cluster.name)),
                    JsonFileStateStore.peekHosts(cluster.stateDir));
        } catch (IOException e) {
            throw new InventoryException(e.getMessage());
        }
    }

    private static List<String> textsIn(JsonNode node) {
        List<String> texts = new ArrayList<>();
        collect(node, texts);
        return texts;
    }

    private static void collect(JsonNode node, List<String> texts) {
        if (node.isTextual()) {
            texts.add(node.textValue());
        }
        node.fieldNames().forEachRemaining(texts::add);
        node.elements().forEachRemaining(e -> collect(e, texts));
    }
}
