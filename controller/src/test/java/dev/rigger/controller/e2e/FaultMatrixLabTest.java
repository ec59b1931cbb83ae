package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.state.JsonFileStateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on real lab nodes, each checked twice: what rigger reports (console, run log, state) and what
 * is left on the node afterwards (processes, files, the data disk), then that a second run completes.
 * One lab of three nodes serves every row; the rows run in order because the later ones need the
 * prepared disks of the first. Heartbeats every second and lost after four seconds of silence, as in
 * {@link HostLostLabTest}.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixLabTest {
    private static final int HEARTBEAT_SEC = 1;
    private static final int LOST_AFTER_SEC = 4;
    /** Long enough for the fault to land while it runs; the other hosts finish it normally. */
    private static final int TASK_SLEEP_SEC = 20;
    private static final String SLEEP_CMDLINE = "sleep " + TASK_SLEEP_SEC;
    /** A lost host's task that would outlast the run many times over. */
    private static final int LOST_HOST_SLEEP_SEC = 300;

    private static LabRun cluster;
    private static ExecutorService injector;

    @BeforeAll
    static void labUp() throws IOException {
        System.setProperty("rigger.heartbeatSec", String.valueOf(HEARTBEAT_SEC));
        System.setProperty("rigger.lostAfterSec", String.valueOf(LOST_AFTER_SEC));
        cluster = new LabRun("faults", 3, "prepare-hosts.json");
        injector = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void labDown() {
        System.clearProperty("rigger.heartbeatSec");
        System.clearProperty("rigger.lostAfterSec");
        if (injector != null) {
            injector.shutdownNow();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aFullFilesystemFailsTheWriteNamingThePathAndLeavesNoPartialFileWhileTheOthersComplete() throws IOException {
        Node node3 = cluster.node("node3");
        // 64 KiB of tmpfs over /host/data, filled to the last byte before the run
        node3.sh("mkdir -p /host/data && mount -t tmpfs -o size=64k tmpfs /host/data"
                + " && (head -c 1048576 /dev/zero > /host/data/filler 2>/dev/null; true)");
        try {
            assertThat(node3.sh("df -P /host/data | awk 'NR==2 {print $4}'")).as("nothing left on the tmpfs").isEqualTo("0");

            CliRun run = cluster.play();

            assertThat(run.exitCode()).as("a failed host makes the run fail: " + run.err()).isEqualTo(1);
            assertThat(run.out()).containsPattern("failed: \\[node3\\] .*/host/data/network\\.json.*No space left on device");
            assertThat(run.out()).containsPattern("node1\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=0\\s");
            assertThat(run.out()).containsPattern("node2\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=0\\s");
            assertThat(run.out()).containsPattern("node3\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=1\\s");
            JsonNode failed = finished("node3").stream().filter(e -> e.path("result").path("status").asText().equals("failed"))
                    .findFirst().orElseThrow();
            assertThat(failed.path("task").asText()).isEqualTo("network.json");
            assertThat(failed.path("result").path("msg").asText()).contains("/host/data/network.json", "No space left on device",
                    "left as it was").doesNotContain("java.io");
            assertThat(node3.sh("ls -A /host/data")).as("no network.json, whole or partial, and no temp file").isEqualTo("filler");
        } finally {
            node3.sh("umount /host/data");
        }

        CliRun again = cluster.play("--limit", "node3");

        assertThat(again.exitCode()).as("with room again, node3 completes: " + again.out()).isZero();
        assertThat(LabRun.JSON.readTree(node3.sh("cat /host/data/network.json")).path("hostname").asText()).isEqualTo("node3");
        assertThat(node3.sh("ls -A /host/data | grep -c rigger-tmp || true")).isEqualTo("0");
    }

    @Test
    @Order(2)
    void aHungCommandFailsAtItsTimeoutAndNothingItStartedIsLeftRunning() throws IOException {
        FaultNode node1 = new FaultNode(cluster.node("node1"));
        Path book = playbook("hang", """
                { "name": "sleeps for ever", "module": "command", "args": { "argv": ["sleep", "600"] },
                  "timeoutSec": 3, "ignoreErrors": true },
                { "name": "leaves a child behind its shell", "module": "command",
                  "args": { "cmd": "(sleep 602 &); echo orphaned; sleep 601" }, "timeoutSec": 3, "ignoreErrors": true },
                { "name": "after", "module": "command", "args": { "argv": ["true"] } }
                """);

        CliRun run = play(book, "--limit", "node1");

        assertThat(run.exitCode()).as("failures are ignored: " + run.out() + run.err()).isZero();
        List<JsonNode> finished = finished("node1");
        assertThat(finished).extracting(e -> e.path("task").asText())
                .containsExactly("sleeps for ever", "leaves a child behind its shell", "after");
        for (JsonNode hung : finished.subList(0, 2)) {
            JsonNode result = hung.path("result");
            assertThat(result.path("status").asText()).isEqualTo("failed");
            assertThat(result.path("msg").asText()).as(hung.path("task").asText()).contains("timed out after 3 s");
            assertThat(result.path("durationMs").asLong()).as("stopped at its timeout, not at the command's end")
                    .isBetween(3000L, 30_000L);
        }
        assertThat(run.out()).containsPattern("failed \\(ignored\\): \\[node1\\] timed out after 3 s");
        assertThat(cluster.lastRunEvents("TaskOutput")).extracting(e -> e.path("line").asText())
                .as("the subshell had started its sleep and exited").contains("orphaned");
        for (String left : List.of("sleep 600", "sleep 601", "sleep 602")) {
            assertThat(node1.running(left)).as("'%s' is gone from node1", left).isEmpty();
        }
    }

    @Test
    @Order(3)
    void anAgentKilledDuringATaskIsReportedLostInThatTaskWhileTheOthersFinishAndARerunCompletes() throws Exception {
        FaultNode node2 = new FaultNode(cluster.node("node2"));
        Path book = sleepPlaybook("killed");
        CompletableFuture<Void> fault = whileSleepingOn(node2, n -> n.killAgent());

        CliRun run = play(book);
        fault.get(60, TimeUnit.SECONDS);

        assertLostWhileTheOthersFinish(run, "node2", "killed");
        assertThat(lostEvent("node2").path("msg").asText()).as("says what became of the agent")
                .contains("the agent on node2 exited with status 137 (killed by signal 9)");

        CliRun again = play(rerunPlaybook("killed"));

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).containsPattern("node2\\s+: ok=2\\s+changed=2\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s+ignored=0\\s+lost=0\\s");
    }

    @Test
    @Order(4)
    void aNodeCutOffTheNetworkDuringATaskIsReportedLostWhileTheOthersFinishAndARerunCompletes() throws Exception {
        FaultNode node2 = new FaultNode(cluster.node("node2"));
        // node2's sleep outlasts the run by far: if it is gone soon after the run, the agent took it along
        String longSleep = "sleep " + LOST_HOST_SLEEP_SEC;
        Path book = sleepPlaybook("cut", "cut", "{{ inventory_hostname == 'node2' ? '" + LOST_HOST_SLEEP_SEC + "' : '"
                + TASK_SLEEP_SEC + "' }}");
        String[] gateway = {null};
        // down long enough to be lost, up again before the others end their task: a lost host stays lost
        CompletableFuture<Void> fault = whileRunningOn(node2, longSleep, n -> {
            gateway[0] = n.linkDown();
            try {
                FaultNode.sleep(LOST_AFTER_SEC * 1000L + 4000);
            } finally {
                n.linkUp(gateway[0]);
            }
        });

        CliRun run;
        try {
            run = play(book);
            fault.get(60, TimeUnit.SECONDS);
        } finally {
            if (gateway[0] != null && node2.node().run("ip -4 route show default | grep -q via").exit() != 0) {
                node2.linkUp(gateway[0]);
            }
        }

        assertLostWhileTheOthersFinish(run, "node2", "cut");
        assertThat(lostEvent("node2").path("msg").asText()).contains("fell silent while running command");
        assertThat(node2.awaitNoAgent(60_000)).as("the cut-off agent ends once its closed session reaches it").isEmpty();
        assertThat(node2.running(longSleep)).as("and its task's command ended with it, long before its %d s",
                LOST_HOST_SLEEP_SEC).isEmpty();

        CliRun again = play(rerunPlaybook("cut"));

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).containsPattern("node2\\s+: ok=2\\s+changed=2\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s+ignored=0\\s+lost=0\\s");
    }

    @Test
    @Order(5)
    void aNodeStoppedMidPlayIsReportedLostAndAfterARestartARerunCompletesWithItsDiskDataIntact() throws Exception {
        Node node3 = cluster.node("node3");
        String fsUuid = node3.sh("blkid -p -s UUID -o value /dev/xvdf1");
        String mountpoint = node3.sh("findmnt -n -o TARGET /dev/xvdf1");
        node3.sh("head -c 1048576 /dev/urandom > " + mountpoint + "/marker && sync");
        String marker = node3.sh("sha256sum < " + mountpoint + "/marker");
        Path book = sleepPlaybook("stopped");
        CompletableFuture<Void> fault = whileSleepingOn(new FaultNode(node3), n -> cluster.lab.stopNode("node3"));

        CliRun run;
        try {
            run = play(book);
            fault.get(60, TimeUnit.SECONDS);
        } finally {
            cluster.lab.startNode("node3");
        }

        assertLostWhileTheOthersFinish(run, "node3", "stopped");
        // a stopping container resets its connections; were it to vanish without a word, the silence would tell
        assertThat(lostEvent("node3").path("msg").asText())
                .containsPattern("the SSH session to node3 closed while its agent was running|node3 fell silent");

        CliRun again = cluster.play();

        assertThat(again.exitCode()).as("after the restart prepare-hosts completes: " + again.out() + again.err()).isZero();
        assertThat(node3.sh("blkid -p -s UUID -o value /dev/xvdf1")).as("the same filesystem, not a new one").isEqualTo(fsUuid);
        assertThat(node3.sh("findmnt -n -o TARGET /dev/xvdf1")).as("mounted where it was").isEqualTo(mountpoint);
        assertThat(node3.sh("sha256sum < " + mountpoint + "/marker")).as("data written before the stop is intact").isEqualTo(marker);
    }

    /**
     * The host's run ended as lost in its {@code sleep} task, reported on the console, in the run log and in
     * the state; the other hosts finished both tasks.
     */
    private static void assertLostWhileTheOthersFinish(CliRun run, String host, String playbook) throws IOException {
        assertThat(run.exitCode()).as("a lost host and nothing failed: exit 3; " + run.err()).isEqualTo(3);
        assertThat(run.out()).containsPattern("lost: \\[" + host + "\\] ");
        assertThat(run.out()).containsPattern(host + "\\s+: ok=0\\s+changed=0\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s+ignored=0\\s+lost=1\\s");
        for (String other : cluster.nodeNames()) {
            if (!other.equals(host)) {
                assertThat(run.out()).containsPattern(other + "\\s+: ok=2\\s+changed=2\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s+ignored=0\\s+lost=0\\s");
            }
        }
        JsonNode lost = lostEvent(host);
        assertThat(lost.path("task").asText()).as("names the task it was lost in").isEqualTo("sleep");
        assertThat(lost.path("taskKey").asText()).isEqualTo(playbook + "/faults/sleep");
        List<JsonNode> hostFinished = finished(host);
        assertThat(hostFinished).hasSize(1);
        assertThat(hostFinished.get(0).path("result").path("status").asText()).isEqualTo("failed");
        assertThat(hostFinished.get(0).path("result").path("msg").asText()).startsWith("lost: ");
        assertThat(cluster.lastRunEvents("TaskStarted")).filteredOn(e -> "after".equals(e.path("task").asText()))
                .extracting(e -> e.path("host").asText()).as("a lost host takes no further part").doesNotContain(host).hasSize(2);
        var record = JsonFileStateStore.peekPlays(cluster.stateDir).get(host).get(playbook + "/faults");
        assertThat(record.status()).isEqualTo("lost");
        assertThat(record.firstFailedTask()).isEqualTo("sleep");
    }

    private static JsonNode lostEvent(String host) throws IOException {
        List<JsonNode> lost = cluster.lastRunEvents("HostLost");
        assertThat(lost).extracting(e -> e.path("host").asText()).as("one HostLost event, for " + host).containsExactly(host);
        return lost.get(0);
    }

    private static List<JsonNode> finished(String host) throws IOException {
        return cluster.lastRunEvents("TaskFinished").stream().filter(e -> host.equals(e.path("host").asText())).toList();
    }

    /** Does {@code fault} to the node once the {@code sleep} task's command runs there. */
    private static CompletableFuture<Void> whileSleepingOn(FaultNode node, Consumer<FaultNode> fault) {
        return whileRunningOn(node, SLEEP_CMDLINE, fault);
    }

    private static CompletableFuture<Void> whileRunningOn(FaultNode node, String commandLine, Consumer<FaultNode> fault) {
        return CompletableFuture.runAsync(() -> {
            node.awaitRunning(commandLine, 120_000);
            fault.accept(node);
        }, injector);
    }

    /** A playbook of two tasks: a long {@code sleep} while the fault lands, then one that shows who is still in. */
    private static Path sleepPlaybook(String name) throws IOException {
        return sleepPlaybook(name, name, String.valueOf(TASK_SLEEP_SEC));
    }

    /** The same playbook with a short sleep, for the run after the fault: only that it completes matters. */
    private static Path rerunPlaybook(String name) throws IOException {
        return sleepPlaybook(name + "-rerun", name, "1");
    }

    private static Path sleepPlaybook(String file, String name, String seconds) throws IOException {
        return playbook(file, name, """
                { "name": "sleep", "module": "command", "args": { "argv": ["sleep", "%s"] }, "timeoutSec": 600 },
                { "name": "after", "module": "command", "args": { "argv": ["true"] } }
                """.formatted(seconds));
    }

    private static Path playbook(String name, String tasks) throws IOException {
        return playbook(name, name, tasks);
    }

    private static Path playbook(String file, String name, String tasks) throws IOException {
        Path path = cluster.stateDir.resolve(file + ".json");
        Files.writeString(path, """
                { "name": "%s", "plays": [ { "name": "faults", "hosts": "all", "tasks": [ %s ] } ] }
                """.formatted(name, tasks), StandardCharsets.UTF_8);
        return path;
    }

    private static CliRun play(Path playbook, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("play", playbook.toString(), "--state",
                cluster.stateDir.toString(), "--lab", cluster.name));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}
