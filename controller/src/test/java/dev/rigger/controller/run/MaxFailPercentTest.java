package dev.rigger.controller.run;

import static dev.rigger.controller.run.ScriptedRun.hosts;
import static dev.rigger.controller.run.ScriptedRun.options;
import static dev.rigger.controller.run.ScriptedRun.play;
import static dev.rigger.controller.run.ScriptedRun.playbook;
import static dev.rigger.controller.run.ScriptedRun.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.events.HostRecap;
import dev.rigger.controller.events.RunEvent;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A play stops early only when more than {@code maxFailPercent} of its hosts are out. */
class MaxFailPercentTest {
    private static final String[] TASKS = {task("one"), task("two")};

    @Test
    void aPlayGoesOnWhileTheShareOfFailedHostsIsNotAboveTheLimit() {
        ScriptedConnector hosts = new ScriptedConnector().fails("node1", "one");

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "\"maxFailPercent\": 25", TASKS),
                hosts("node1", "node2", "node3", "node4"), options());

        assertThat(run.events(RunEvent.PlayAborted.class)).isEmpty();
        assertThat(hosts.ranOn("node2")).containsExactly("one", "two");
        assertThat(hosts.ranOn("node1")).containsExactly("one");
        assertThat(run.report.aborted()).isFalse();
    }

    @Test
    void linearStopsThePlayAfterTheTaskThatPutMoreThanTheLimitOut() {
        ScriptedConnector hosts = new ScriptedConnector().fails("node1", "one").fails("node2", "one");

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "\"maxFailPercent\": 25", TASKS),
                hosts("node1", "node2", "node3", "node4"), options());

        assertThat(run.events(RunEvent.PlayAborted.class)).singleElement()
                .extracting(RunEvent.PlayAborted::msg).isEqualTo("more than 25.0% of the play's hosts failed");
        assertThat(hosts.started()).as("no host starts the next task").noneMatch(c -> c.endsWith(" two"));
        assertThat(run.recap("node3")).isEqualTo(new HostRecap(1, 0, 0, 0, 0, 0, run.recap("node3").tookMs(), 0));
        assertThat(run.recap("node1").failed()).isEqualTo(1);
        assertThat(run.report.aborted()).isTrue();
        assertThat(run.report.exitCode()).isEqualTo(1);
    }

    @Test
    void unreachableHostsCountAgainstTheLimitBeforeAnyTaskFails() {
        ScriptedConnector hosts = new ScriptedConnector().unreachable("node1", "no route").unreachable("node2", "no route");

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "\"maxFailPercent\": 40", TASKS),
                hosts("node1", "node2", "node3", "node4"), options());

        assertThat(hosts.ranOn("node3")).containsExactly("one");
        assertThat(run.events(RunEvent.PlayAborted.class)).hasSize(1);
        assertThat(run.recap("node1").unreachable()).isEqualTo(1);
    }

    @Test
    void freeStartsNoFurtherTaskOnAnyHostOnceTheLimitIsCrossed() {
        ScriptedConnector hosts = new ScriptedConnector().fails("node1", "one");

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "\"strategy\": \"free\", \"maxFailPercent\": 0", TASKS),
                hosts("node1", "node2", "node3"), options(1, Set.of(), Set.of(), null));

        assertThat(hosts.started()).containsExactly("node1 one");
        assertThat(run.events(RunEvent.PlayAborted.class)).hasSize(1);
        assertThat(run.report.exitCode()).isEqualTo(1);
    }

    @Test
    void anAbortedPlayEndsTheRunSoLaterPlaysRunNowhere() {
        ScriptedConnector hosts = new ScriptedConnector().fails("node1", "one");

        ScriptedRun run = ScriptedRun.run(hosts, playbook("""
                {"name": "book", "plays": [
                  {"name": "first", "hosts": "all", "maxFailPercent": 0, "tasks": [%s]},
                  {"name": "second", "hosts": "all", "tasks": [%s]}]}""".formatted(task("one"), task("later"))),
                hosts("node1", "node2"), options());

        assertThat(run.events(RunEvent.PlayStarted.class)).extracting(RunEvent.PlayStarted::play).containsExactly("first");
        assertThat(hosts.started()).noneMatch(c -> c.endsWith(" later"));
    }

    @Test
    void withoutALimitEveryHostMayFailAndThePlayStillRunsToItsEnd() {
        ScriptedConnector hosts = new ScriptedConnector().fails("node1", "one").fails("node2", "two");

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "", TASKS), hosts("node1", "node2", "node3"), options());

        assertThat(run.events(RunEvent.PlayAborted.class)).isEmpty();
        assertThat(hosts.ranOn("node3")).containsExactly("one", "two");
        assertThat(run.report.aborted()).isFalse();
    }
}
