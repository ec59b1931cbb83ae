package dev.rigger.controller.run;

import static dev.rigger.controller.run.ScriptedRun.hosts;
import static dev.rigger.controller.run.ScriptedRun.options;
import static dev.rigger.controller.run.ScriptedRun.play;
import static dev.rigger.controller.run.ScriptedRun.playbook;
import static dev.rigger.controller.run.ScriptedRun.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.events.RunEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host that cannot be reached is unreachable; a host whose agent falls silent during a task is lost in it.
 * Either is out for the rest of the run, and the recap tells them apart.
 */
class LostAndUnreachableTest {
    private static final String TWO_PLAYS = """
            {"name": "book", "plays": [
              {"name": "first", "hosts": "all", "tasks": [%s, %s]},
              {"name": "second", "hosts": "all", "tasks": [%s]}]}""".formatted(task("one"), task("two"), task("three"));

    @Test
    void aHostThatCannotBeReachedRunsNothingAndIsCountedUnreachable() {
        ScriptedConnector hosts = new ScriptedConnector().unreachable("node1", "connection refused");

        ScriptedRun run = ScriptedRun.run(hosts, playbook(TWO_PLAYS), hosts("node1", "node2"), options());

        assertThat(hosts.ranOn("node1")).isEmpty();
        assertThat(hosts.ranOn("node2")).containsExactly("one", "two", "three");
        assertThat(run.events(RunEvent.HostUnreachable.class)).singleElement()
                .extracting(RunEvent.HostUnreachable::msg).isEqualTo("node1: connection refused");
        assertThat(run.recap("node1").unreachable()).isEqualTo(1);
        assertThat(run.recap("node1").lost()).isZero();
        assertThat(run.report.exitCode()).as("unreachable, nothing failed").isEqualTo(3);
    }

    @Test
    void aHostWhoseAgentFallsSilentIsLostInThatTaskAndRunsNothingMore() {
        ScriptedConnector hosts = new ScriptedConnector().goesSilentIn("node1", "one");

        ScriptedRun run = ScriptedRun.run(hosts, playbook(TWO_PLAYS), hosts("node1", "node2"), options());

        assertThat(hosts.ranOn("node1")).containsExactly("one");
        assertThat(hosts.ranOn("node2")).containsExactly("one", "two", "three");
        assertThat(run.events(RunEvent.HostLost.class)).singleElement().satisfies(lost -> {
            assertThat(lost.host()).isEqualTo("node1");
            assertThat(lost.task()).isEqualTo("one");
            assertThat(lost.msg()).isEqualTo("node1 fell silent while running one");
        });
        assertThat(run.recap("node1").lost()).isEqualTo(1);
        assertThat(run.recap("node1").failed()).as("the task it was lost in is the loss").isZero();
        assertThat(run.recap("node1").unreachable()).isZero();
        assertThat(run.report.exitCode()).isEqualTo(3);
    }

    @Test
    void theLossIsReportedBeforeTheFailedResultOfTheTaskItHappenedIn() {
        ScriptedConnector hosts = new ScriptedConnector().goesSilentIn("node1", "one");

        ScriptedRun run = ScriptedRun.run(hosts, playbook(TWO_PLAYS), hosts("node1"), options());

        List<String> node1 = run.events.stream()
                .filter(e -> e instanceof RunEvent.HostLost || e instanceof RunEvent.TaskFinished)
                .map(e -> e.getClass().getSimpleName()).toList();
        assertThat(node1).containsExactly("HostLost", "TaskFinished");
        assertThat(run.result("node1", "one").result().msg()).isEqualTo("lost: node1 fell silent while running one");
    }

    @Test
    void aConnectionThatBreaksDuringATaskMakesTheHostUnreachableNotLost() {
        ScriptedConnector hosts = new ScriptedConnector().connectionBreaksIn("node1", "one");

        ScriptedRun run = ScriptedRun.run(hosts, playbook(TWO_PLAYS), hosts("node1", "node2"), options());

        assertThat(hosts.ranOn("node1")).containsExactly("one");
        assertThat(run.events(RunEvent.HostLost.class)).isEmpty();
        assertThat(run.recap("node1").lost()).isZero();
        assertThat(run.recap("node1").failed()).isEqualTo(1);
        assertThat(run.events(RunEvent.PlayStarted.class)).last().extracting(RunEvent.PlayStarted::hosts)
                .as("the next play still selects it, but it runs nothing there").isEqualTo(List.of("node1", "node2"));
    }

    @Test
    void everySessionTheRunOpenedIsClosedAtItsEnd() {
        ScriptedConnector hosts = new ScriptedConnector().goesSilentIn("node1", "one");

        ScriptedRun.run(hosts, playbook(TWO_PLAYS), hosts("node1", "node2"), options());

        assertThat(hosts.closed("node1")).isTrue();
        assertThat(hosts.closed("node2")).isTrue();
    }
}
