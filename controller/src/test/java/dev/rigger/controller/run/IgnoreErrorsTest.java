package dev.rigger.controller.run;

import static dev.rigger.controller.run.ScriptedRun.hosts;
import static dev.rigger.controller.run.ScriptedRun.options;
import static dev.rigger.controller.run.ScriptedRun.play;
import static dev.rigger.controller.run.ScriptedRun.task;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ignoreErrors}: a failed task is reported as ignored and its host goes on. */
class IgnoreErrorsTest {

    @Test
    void aHostGoesOnAfterAFailedTaskWhoseErrorsAreIgnored() {
        ScriptedConnector hosts = new ScriptedConnector().fails("node1", "optional");

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "",
                task("optional", "\"ignoreErrors\": true"), task("after")), hosts("node1"), options());

        assertThat(hosts.ranOn("node1")).containsExactly("optional", "after");
        assertThat(run.result("node1", "optional").ignored()).isTrue();
        assertThat(run.recap("node1").ignored()).isEqualTo(1);
        assertThat(run.recap("node1").failed()).isZero();
        assertThat(run.report.exitCode()).isZero();
    }

    @Test
    void theSameFailureWithoutIgnoreErrorsEndsTheHostsPlay() {
        ScriptedConnector hosts = new ScriptedConnector().fails("node1", "optional");

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "", task("optional"), task("after")), hosts("node1"),
                options());

        assertThat(hosts.ranOn("node1")).containsExactly("optional");
        assertThat(run.result("node1", "optional").ignored()).isFalse();
        assertThat(run.recap("node1").failed()).isEqualTo(1);
        assertThat(run.report.exitCode()).isEqualTo(1);
    }

    @Test
    void aRegisteredIgnoredFailureLetsALaterTaskReactToIt() {
        ScriptedConnector hosts = new ScriptedConnector().fails("node1", "optional");

        ScriptedRun.run(hosts, play("all", "", task("optional", "\"ignoreErrors\": true, \"register\": \"o\""),
                task("repair", "\"when\": \"o.failed\""), task("skipped", "\"when\": \"not o.failed\"")),
                hosts("node1"), options());

        assertThat(hosts.ranOn("node1")).containsExactly("optional", "repair");
    }
}
