package dev.rigger.controller.run;

import static dev.rigger.controller.run.ScriptedRun.hosts;
import static dev.rigger.controller.run.ScriptedRun.options;
import static dev.rigger.controller.run.ScriptedRun.play;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.events.RunEvent;
import dev.rigger.protocol.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code loop} runs a task once per item; {@code register} keeps its result for later tasks' templates. */
class LoopAndRegisterTest {
    private static final String LOOP = """
            {"name": "each", "module": "command", "args": {"cmd": "make {{ item }}"}, "loop": ["a", "b", "c"],
             "register": "made"}""";

    @Test
    void aLoopRunsTheTaskOncePerItemInOrderAndReportsEachItemThenTheWhole() {
        ScriptedConnector hosts = new ScriptedConnector();

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "", LOOP), hosts("node1"), options());

        assertThat(hosts.ranOn("node1")).containsExactly("make a", "make b", "make c");
        List<RunEvent.TaskFinished> finished = run.events(RunEvent.TaskFinished.class);
        assertThat(finished).extracting(RunEvent.TaskFinished::item).containsExactly("a", "b", "c", null);
        assertThat(finished.get(3).loopSummary()).isTrue();
        assertThat(run.recap("node1").ok()).as("the recap counts the task, not its items").isEqualTo(1);
    }

    @Test
    void aRegisteredLoopKeepsEachItemsResultForTheNextTask() {
        ScriptedConnector hosts = new ScriptedConnector();

        ScriptedRun.run(hosts, play("all", "", LOOP, """
                {"name": "use", "module": "command",
                 "args": {"cmd": "{{ made.results | length }} {{ made.results[1].item }} {{ made.results[2].stdout }}"}}"""),
                hosts("node1"), options());

        assertThat(hosts.ranOn("node1")).last().isEqualTo("3 b make c");
    }

    @Test
    void aRegisteredResultIsPerHostAndOtherHostsSeeItThroughHostvars() {
        ScriptedConnector hosts = new ScriptedConnector()
                .on("node1", "id", (task, call) -> ScriptedConnector.done(ScriptedConnector.ok(task, Map.of("value", "one"))))
                .on("node2", "id", (task, call) -> ScriptedConnector.done(ScriptedConnector.ok(task, Map.of("value", "two"))));

        ScriptedRun.run(hosts, play("all", "", """
                {"name": "id", "module": "command", "args": {"cmd": "id"}, "register": "who"}""", """
                {"name": "use", "module": "command", "args": {"cmd": "{{ who.value }} sees {{ hostvars['node1'].who.value }}"}}"""),
                hosts("node1", "node2"), options());

        assertThat(hosts.ranOn("node1")).last().isEqualTo("one sees one");
        assertThat(hosts.ranOn("node2")).last().isEqualTo("two sees one");
    }

    @Test
    void aFailedItemRunsTheRestOfTheLoopThenFailsTheTaskAndTheHost() {
        ScriptedConnector hosts = new ScriptedConnector().fails("node1", "make b");

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "", LOOP, ScriptedRun.task("after")), hosts("node1"),
                options());

        assertThat(hosts.ranOn("node1")).containsExactly("make a", "make b", "make c");
        RunEvent.TaskFinished summary = run.result("node1", "each");
        assertThat(summary.result().status()).isEqualTo(Status.FAILED);
        assertThat(summary.result().msg()).isEqualTo("one or more items failed");
        assertThat(run.recap("node1").failed()).isEqualTo(1);
    }

    @Test
    void aLoopOverATemplateThatIsNotAListFailsTheTaskWithItsPointer() {
        ScriptedConnector hosts = new ScriptedConnector();

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "\"vars\": {\"one\": \"x\"}", """
                {"name": "each", "module": "command", "args": {"cmd": "{{ item }}"}, "loop": "{{ one }}"}"""),
                hosts("node1"), options());

        assertThat(hosts.started()).isEmpty();
        assertThat(run.result("node1", "each").result().msg()).startsWith("/plays/0/tasks/0/loop: expected a list");
    }
}
