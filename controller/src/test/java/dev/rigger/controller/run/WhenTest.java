package dev.rigger.controller.run;

import static dev.rigger.controller.run.ScriptedRun.hosts;
import static dev.rigger.controller.run.ScriptedRun.options;
import static dev.rigger.controller.run.ScriptedRun.play;
import static dev.rigger.controller.run.ScriptedRun.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.events.HostRecap;
import dev.rigger.protocol.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code when}: a task whose condition is false is skipped on that host without reaching its agent. */
class WhenTest {

    @Test
    void aFalseConditionSkipsTheTaskWithoutAskingTheAgent() {
        ScriptedConnector hosts = new ScriptedConnector();

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "\"vars\": {\"wanted\": false}",
                task("maybe", "\"when\": \"wanted\""), task("after")), hosts("node1"), options());

        assertThat(hosts.ranOn("node1")).containsExactly("after");
        assertThat(run.result("node1", "maybe").result().status()).isEqualTo(Status.SKIPPED);
        assertThat(run.result("node1", "maybe").result().msg()).isEqualTo("condition was false: wanted");
        assertThat(run.recap("node1")).isEqualTo(new HostRecap(1, 0, 0, 1, 0, 0, run.recap("node1").tookMs(), 0));
    }

    @Test
    void theConditionIsTestedPerHostAgainstItsOwnRegisteredResults() {
        ScriptedConnector hosts = new ScriptedConnector()
                .on("node1", "probe", (task, call) -> ScriptedConnector.done(ScriptedConnector.ok(task, Map.of("size", 0))))
                .on("node2", "probe", (task, call) -> ScriptedConnector.done(ScriptedConnector.ok(task, Map.of("size", 5))));

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "",
                task("probe", "\"register\": \"disk\""), task("format", "\"when\": \"disk.size > 0\"")),
                hosts("node1", "node2"), options());

        assertThat(hosts.ranOn("node1")).containsExactly("probe");
        assertThat(hosts.ranOn("node2")).containsExactly("probe", "format");
        assertThat(run.recap("node1").skipped()).isEqualTo(1);
        assertThat(run.recap("node2").skipped()).isZero();
    }

    @Test
    void aSkippedTaskThatRegistersLeavesASkippedResultForLaterConditions() {
        ScriptedConnector hosts = new ScriptedConnector();

        ScriptedRun.run(hosts, play("all", "\"vars\": {\"wanted\": false}",
                task("maybe", "\"when\": \"wanted\", \"register\": \"r\""), task("after", "\"when\": \"r.skipped\"")),
                hosts("node1"), options());

        assertThat(hosts.ranOn("node1")).containsExactly("after");
    }
}
