package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.controller.state.PlayRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A lab node frozen with {@code docker pause} while a task runs on it: its agent sends nothing, its
 * TCP connections stay open, so only the missing heartbeats tell. Heartbeats every second, lost after
 * four seconds of silence (the controller's settings for tests, as system properties).
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostLostLabTest {
    private static final int HEARTBEAT_SEC = 1;
    private static final int LOST_AFTER_SEC = 4;
    private static final int TASK_TIMEOUT_SEC = 60;

    private static LabRun cluster;
    private static ExecutorService pauser;

    @BeforeAll
    static void labUp() throws IOException {
        System.setProperty("rigger.heartbeatSec", String.valueOf(HEARTBEAT_SEC));
        System.setProperty("rigger.lostAfterSec", String.valueOf(LOST_AFTER_SEC));
        cluster = new LabRun("hostlost", 2, "prepare-hosts.json");
        pauser = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void labDown() {
        System.clearProperty("rigger.heartbeatSec");
        System.clearProperty("rigger.lostAfterSec");
        if (pauser != null) {
            pauser.shutdownNow();
        }
        if (cluster != null) {
            for (String node : cluster.nodeNames()) {
                docker("unpause", cluster.node(node).container());
            }
            cluster.close();
        }
    }

    /** A playbook of two tasks: a long {@code sleep}, then a short one that shows who is still in the run. */
    private static Path playbook(String name, int sleepSec) throws IOException {
        Path file = cluster.stateDir.resolve(name + ".json");
        Files.writeString(file, """
                {
                  "name": "%s",
                  "plays": [
                    {
                      "name": "wait",
                      "hosts": "all",
                      "tasks": [
                        { "name": "sleep", "module": "command", "args": { "argv": ["sleep", "%d"] }, "timeoutSec": %d },
                        { "name": "after", "module": "command", "args": { "argv": ["true"] } }
                      ]
                    }
                  ]
                }
                """.formatted(name, sleepSec, TASK_TIMEOUT_SEC), StandardCharsets.UTF_8);
        return file;
    }

    private static CliRun play(Path playbook) {
        return CliRun.of("play", playbook.toString(), "--state", cluster.stateDir.toString(), "--lab", cluster.name);
    }

    /**
     * Once {@code sleep <sleepSec>} runs on the node, freezes the node for {@code frozenMs}, then thaws it.
     *
     * @return when the node was frozen (epoch ms)
     */
    private static CompletableFuture<Long> freezeWhileSleeping(String node, int sleepSec, long frozenMs) {
        Node n = cluster.node(node);
        return CompletableFuture.supplyAsync(() -> {
            long deadline = System.currentTimeMillis() + 120_000;
            // /proc rather than pgrep: the node image need not have procps
            String probe = "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done"
                    + " | grep -qx 'sleep " + sleepSec + " '";
            while (n.run(probe).exit() != 0) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("sleep " + sleepSec + " never started on " + node);
                }
                pause(200);
            }
            long frozenAt = System.currentTimeMillis();
            assertThat(docker("pause", n.container())).as("docker pause " + n.container()).isZero();
            try {
                pause(frozenMs);
            } finally {
                assertThat(docker("unpause", n.container())).as("docker unpause " + n.container()).isZero();
            }
            return frozenAt;
        }, pauser);
    }

    @Test
    @Order(1)
    void aHostFrozenDuringATaskIsReportedLostLongBeforeTheTaskTimeoutWhileTheOtherHostCompletes() throws Exception {
        Path book = playbook("frozen", 25);
        // long enough to be lost, short enough to thaw before the run ends: a lost host stays lost
        CompletableFuture<Long> frozen = freezeWhileSleeping("node2", 25, LOST_AFTER_SEC * 1000L + 4000);

        CliRun run = play(book);
        long frozenAt = frozen.get(60, TimeUnit.SECONDS);

        assertThat(run.exitCode()).as("a lost host makes the run fail: " + run.err()).isEqualTo(3);
        assertThat(run.out()).containsPattern("lost: \\[node2\\] node2 fell silent while running command");
        assertThat(run.out()).containsPattern("node2\\s+: ok=0\\s+changed=0\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s+ignored=0\\s+lost=1\\s");
        assertThat(run.out()).containsPattern("node1\\s+: ok=2\\s+changed=\\d+\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s+ignored=0\\s+lost=0\\s");

        List<JsonNode> lost = cluster.lastRunEvents("HostLost");
        assertThat(lost).hasSize(1);
        JsonNode event = lost.get(0);
        assertThat(event.path("host").asText()).isEqualTo("node2");
        assertThat(event.path("task").asText()).isEqualTo("sleep");
        assertThat(event.path("taskKey").asText()).isEqualTo("frozen/wait/sleep");
        long detectedAfterMs = event.path("at").asLong() - frozenAt;
        assertThat(detectedAfterMs).as("lost after about %d s of silence, not at the %d s timeout", LOST_AFTER_SEC,
                TASK_TIMEOUT_SEC).isBetween((LOST_AFTER_SEC - HEARTBEAT_SEC - 1) * 1000L, 20_000L);

        List<JsonNode> node2Finished = cluster.lastRunEvents("TaskFinished").stream()
                .filter(e -> "node2".equals(e.path("host").asText())).toList();
        assertThat(node2Finished).as("the thawed node's late result is not taken").hasSize(1);
        assertThat(node2Finished.get(0).path("result").path("status").asText()).isEqualTo("failed");
        assertThat(node2Finished.get(0).path("result").path("msg").asText()).startsWith("lost: node2");
        assertThat(cluster.lastRunEvents("TaskStarted")).filteredOn(e -> "after".equals(e.path("task").asText()))
                .extracting(e -> e.path("host").asText()).as("a lost host takes no further part").containsExactly("node1");

        PlayRecord record = JsonFileStateStore.peekPlays(cluster.stateDir).get("node2").get("frozen/wait");
        assertThat(record.status()).isEqualTo("lost");
        assertThat(record.firstFailedTask()).isEqualTo("sleep");
        assertThat(JsonFileStateStore.peekPlays(cluster.stateDir).get("node1").get("frozen/wait").status()).isEqualTo("ok");
    }

    @Test
    @Order(2)
    void aHostFrozenForLessThanTheThresholdCompletesAndItsHeartbeatsShowInTheRunLog() throws Exception {
        Path book = playbook("paused", 15);
        CompletableFuture<Long> frozen = freezeWhileSleeping("node2", 15, 2000);

        CliRun run = play(book);
        long frozenAt = frozen.get(60, TimeUnit.SECONDS);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        for (String node : List.of("node1", "node2")) {
            assertThat(run.out()).containsPattern(node + "\\s+: ok=2\\s+changed=\\d+\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s+ignored=0\\s+lost=0\\s");
        }
        assertThat(cluster.lastRunEvents("HostLost")).isEmpty();

        List<JsonNode> beats = cluster.lastRunEvents("Heartbeat");
        assertThat(beats).filteredOn(e -> "node1".equals(e.path("host").asText()))
                .as("about one a second during a 15 s task").hasSizeGreaterThanOrEqualTo(10);
        assertThat(beats).filteredOn(e -> "node2".equals(e.path("host").asText()) && e.path("at").asLong() > frozenAt + 2000)
                .as("node2 beats again after its thaw").isNotEmpty();
    }

    private static int docker(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new AssertionError("docker " + String.join(" ", args) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
