package dev.rigger.controller.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.events.RunEventJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a live run keeps and what a subscriber is given, with no server around it. */
class RunStreamTest {
    private final LiveRun run = new LiveRun("r1", new RunRequest("p.json", null, false, Map.of()), List.of(), List.of());

    private static RunEvent.TaskOutputLine line(int i) {
        return new RunEvent.TaskOutputLine(i, "print", "node1", "stdout", "line " + i + " " + "x".repeat(100));
    }

    private static RunEvent.TaskStarted started(String task) {
        return new RunEvent.TaskStarted(0, "play", task, "book/play/" + task, "node1");
    }

    private static List<LiveRun.Frame> drain(RunStream stream) {
        List<LiveRun.Frame> out = new ArrayList<>();
        LiveRun.Frame f;
        while ((f = stream.poll()) != null) {
            out.add(f);
        }
        return out;
    }

    @Test
    void aLongRunKeepsItsOwnEventsButOnlyTheNewestOutputLines() {
        run.on(started("print"));
        for (int i = 0; i < 300_000; i++) {
            run.on(line(i));
        }
        run.on(started("after"));
        List<LiveRun.Frame> replay = drain(run.subscribe(() -> { }));
        assertThat(replay).filteredOn(f -> f.type().equals("TaskStarted")).hasSize(2);
        assertThat(replay).filteredOn(f -> f.type().equals("TaskOutput")).hasSize(LiveRun.KEPT_OUTPUT);
        LiveRun.Frame note = replay.stream().filter(f -> f.type().equals("OutputSkipped")).findFirst().orElseThrow();
        assertThat(note.json()).contains("\"lines\":" + (300_000 - LiveRun.KEPT_OUTPUT));
        assertThat(replay.get(replay.size() - 2).json()).as("the newest line, in order").contains("line 299999 ");
        assertThat(replay.get(replay.size() - 1).json()).contains("\"task\":\"after\"");
    }

    @Test
    void aSlowSubscriberSkipsOutputLinesAndIsToldHowMany() {
        AtomicInteger wakes = new AtomicInteger();
        RunStream stream = run.subscribe(wakes::incrementAndGet);
        int printed = RunStream.MAX_QUEUED + 5_000;
        for (int i = 0; i < printed; i++) {
            run.on(line(i));
        }
        assertThat(stream.queued()).as("bounded however much is printed").isLessThanOrEqualTo(RunStream.MAX_QUEUED);
        assertThat(wakes.get()).as("a reader that has not read yet is woken once, not per frame").isEqualTo(1);
        List<LiveRun.Frame> first = drain(stream);
        run.on(started("next"));
        List<LiveRun.Frame> then = drain(stream);
        assertThat(then.get(0).type()).isEqualTo("OutputSkipped");
        long skipped = Long.parseLong(then.get(0).json().replaceAll("^.*\"lines\":(\\d+).*$", "$1"));
        assertThat(first.size() + skipped).as("every line is either sent or counted").isEqualTo(printed);
        assertThat(then.get(1).type()).as("the run's own events are never skipped").isEqualTo("TaskStarted");
    }

    @Test
    void aSubscriberThatReadsNothingWhileRunEventsPileUpIsDropped() {
        RunStream stream = run.subscribe(() -> { });
        String big = "y".repeat(64 * 1024);
        for (int i = 0; i < (RunStream.DROP_CHARS / big.length()) + 10; i++) {
            run.on(new RunEvent.PlayAborted(i, "play", big));
        }
        assertThat(stream.dropped()).isTrue();
        assertThat(run.subscribers()).as("the run forgets it").isZero();
        List<LiveRun.Frame> left = drain(stream);
        assertThat(left).extracting(LiveRun.Frame::type).containsExactly("StreamDropped");
        assertThat(stream.over()).isTrue();
    }

    @Test
    void theEndReachesASubscriberAfterWhatIsQueued() {
        AtomicInteger wakes = new AtomicInteger();
        RunStream stream = run.subscribe(wakes::incrementAndGet);
        run.on(started("t"));
        run.finish(null);
        assertThat(stream.over()).isFalse();
        assertThat(drain(stream)).hasSize(1);
        assertThat(stream.over()).isTrue();
        assertThat(run.subscribers()).isZero();
    }

    @Test
    void aCancelledRunSaysSoInItsInfoAndItsLog() {
        run.on(new RunEvent.RunStarted(0, "r1", "p", false));
        run.cancelSwitch().cancel("asked");
        assertThat(run.info().get("status")).isEqualTo("cancelling");
        run.on(new RunEvent.RunCancelled(1, "r1", "asked"));
        run.on(new RunEvent.RunFinished(2, "r1", Map.of(), 2));
        run.finish(null);
        assertThat(run.info().get("status")).isEqualTo("cancelled");
        assertThat(RunEventJson.write(new RunEvent.RunCancelled(1, "r1", "asked"))).startsWith("{\"event\":\"RunCancelled\"");
    }
}
