package dev.rigger.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.controller.state.PlayRecord;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a host lost in the middle of a task shows in the recap, on the console, in the state and in the log. */
class LostHostReportingTest {
    private static final String KEY = "book/play/sleep";
    private static final String WHY = "node2 fell silent while running command: nothing from its agent for 4.2 s"
            + " (lost after 4.0 s without a heartbeat)";

    /** node1 finishes the task, node2 is lost in it; then a second task runs on node1 alone. */
    private static List<RunEvent> run() {
        List<RunEvent> events = new ArrayList<>();
        events.add(new RunEvent.RunStarted(1000, "run-1", "book", false));
        events.add(new RunEvent.PlayStarted(1001, "play", List.of("node1", "node2")));
        events.add(new RunEvent.TaskStarted(1002, "play", "sleep", KEY, "node1"));
        events.add(new RunEvent.TaskStarted(1002, "play", "sleep", KEY, "node2"));
        events.add(new RunEvent.Heartbeat(2000, "node1"));
        events.add(new RunEvent.Heartbeat(2000, "node2"));
        events.add(new RunEvent.HostLost(7000, "node2", "sleep", KEY, WHY));
        events.add(new RunEvent.TaskFinished(7001, "play", "sleep", KEY, "node2",
                ModuleResult.failed("command", "lost: " + WHY), false, null, false));
        events.add(new RunEvent.TaskFinished(26000, "play", "sleep", KEY, "node1",
                new ModuleResult("command", Status.CHANGED, true, null, null, Map.of(), List.of(), 25000), false, null, false));
        events.add(new RunEvent.TaskStarted(26001, "play", "after", "book/play/after", "node1"));
        events.add(new RunEvent.TaskFinished(26100, "play", "after", "book/play/after", "node1",
                new ModuleResult("command", Status.OK, false, null, null, Map.of(), List.of(), 99), false, null, false));
        return events;
    }

    private static Map<String, HostRecap> recap(List<RunEvent> events) {
        RecapCollector recap = new RecapCollector();
        events.forEach(recap::on);
        return recap.recap();
    }

    @Test
    void theRecapCountsTheLostHostAsLostNotAsFailed() {
        Map<String, HostRecap> recap = recap(run());

        assertThat(recap.get("node2").lost()).isEqualTo(1);
        assertThat(recap.get("node2").failed()).as("the task it was lost in is the loss, not a failure").isZero();
        assertThat(recap.get("node2").unreachable()).isZero();
        assertThat(recap.get("node1")).isEqualTo(new HostRecap(2, 1, 0, 0, 0, 0, 26100 - 1002, 0));
    }

    @Test
    void aLostHostsLaterFailuresAreStillFailures() {
        List<RunEvent> events = run();
        events.add(new RunEvent.TaskFinished(27000, "play", "other", "book/play/other", "node2",
                ModuleResult.failed("command", "something else"), false, null, false));

        assertThat(recap(events).get("node2")).extracting(HostRecap::lost, HostRecap::failed).containsExactly(1, 1);
    }

    private static String console(List<RunEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter console = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false);
        events.forEach(console::on);
        console.on(new RunEvent.RunFinished(27000, "run-1", recap(events), 26000));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theConsoleSaysLostOnceAndShowsLostInThePlayRecap() {
        String out = console(run());

        assertThat(out).contains("lost: [node2] " + WHY);
        assertThat(out).as("no second line for the same loss").doesNotContain("failed: [node2]");
        assertThat(out).containsPattern("node2 : ok=0\\s+changed=0\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s+ignored=0\\s+lost=1\\s");
        assertThat(out).containsPattern("node1 : ok=2\\s+changed=1\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s+ignored=0\\s+lost=0\\s");
        List<RunEvent> withoutHeartbeats = run().stream().filter(e -> !(e instanceof RunEvent.Heartbeat)).toList();
        assertThat(out).as("heartbeats stay off the console").isEqualTo(console(withoutHeartbeats));
    }

    @Test
    void theStateRecordsThePlayOfTheLostHostAsLostInItsTaskAndLaterPlaysAsNotRun(@TempDir Path dir) throws Exception {
        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            StateRecorder recorder = new StateRecorder(store, false);
            run().forEach(recorder::on);
            recorder.on(new RunEvent.PlayStarted(30000, "second", List.of("node1", "node2")));
        }
        Map<String, Map<String, PlayRecord>> plays = JsonFileStateStore.peekPlays(dir);

        PlayRecord lost = plays.get("node2").get("book/play");
        assertThat(lost.status()).isEqualTo("lost");
        assertThat(lost.firstFailedTask()).isEqualTo("sleep");
        assertThat(lost.failed()).as("--retry-failed picks a lost host up again").isTrue();
        assertThat(plays.get("node2").get("book/second").status()).isEqualTo("not-run");
        assertThat(plays.get("node1").get("book/play").status()).isEqualTo("ok");
        assertThat(plays.get("node1").get("book/second").status()).isEqualTo("ok");
    }

    @Test
    void hostLostAndHeartbeatAreWrittenAndReadBackAsTheyWere() throws Exception {
        RunEvent lost = new RunEvent.HostLost(7000, "node2", "sleep", KEY, WHY);
        RunEvent beat = new RunEvent.Heartbeat(2000, "node1");

        JsonNode lostJson = ProtocolJson.MAPPER.readTree(ProtocolJson.MAPPER.writeValueAsString(lost));
        JsonNode beatJson = ProtocolJson.MAPPER.readTree(ProtocolJson.MAPPER.writeValueAsString(beat));

        assertThat(lostJson.path("event").asText()).isEqualTo("HostLost");
        assertThat(lostJson.path("host").asText()).isEqualTo("node2");
        assertThat(lostJson.path("taskKey").asText()).isEqualTo(KEY);
        assertThat(beatJson.path("event").asText()).isEqualTo("Heartbeat");
        assertThat(beatJson.size()).as("event, at, host").isEqualTo(3);
        assertThat(ProtocolJson.MAPPER.treeToValue(lostJson, RunEvent.class)).isEqualTo(lost);
        assertThat(ProtocolJson.MAPPER.treeToValue(beatJson, RunEvent.class)).isEqualTo(beat);
    }

    @Test
    void aRecapInALogWrittenBeforeHostsCouldBeLostReadsAsNoneLost() throws Exception {
        String old = "{\"event\":\"RunFinished\",\"at\":5,\"runId\":\"r\",\"tookMs\":4,\"recap\":{\"node1\":"
                + "{\"ok\":3,\"changed\":1,\"failed\":0,\"skipped\":0,\"unreachable\":0,\"ignored\":0,\"tookMs\":4}}}";

        RunEvent.RunFinished finished = (RunEvent.RunFinished) ProtocolJson.MAPPER.readValue(old, RunEvent.class);

        assertThat(finished.recap().get("node1")).isEqualTo(new HostRecap(3, 1, 0, 0, 0, 0, 4, 0));
    }
}
