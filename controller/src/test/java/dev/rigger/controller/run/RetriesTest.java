package dev.rigger.controller.run;

import static dev.rigger.controller.run.ScriptedRun.hosts;
import static dev.rigger.controller.run.ScriptedRun.options;
import static dev.rigger.controller.run.ScriptedRun.play;
import static dev.rigger.controller.run.ScriptedRun.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.protocol.Status;
import org.junit.jupiter.api.Test;

/** {@code retries}: a failed task runs again, up to that many more times, until it succeeds. */
class RetriesTest {

    @Test
    void aTaskThatFailsLessOftenThanItsRetriesEndsWithItsFirstSuccess() {
        ScriptedConnector hosts = new ScriptedConnector().failsFirst("node1", "flaky", 2);

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "", task("flaky", "\"retries\": 2, \"delaySec\": 0"),
                task("after")), hosts("node1"), options());

        assertThat(hosts.calls("node1", "flaky")).isEqualTo(3);
        assertThat(run.result("node1", "flaky").result().status()).isEqualTo(Status.CHANGED);
        assertThat(hosts.ranOn("node1")).endsWith("after");
        assertThat(run.recap("node1").failed()).isZero();
        assertThat(run.recap("node1").changed()).isEqualTo(1);
    }

    @Test
    void aTaskThatKeepsFailingRunsOncePlusItsRetriesAndThenFailsTheHost() {
        ScriptedConnector hosts = new ScriptedConnector().failsFirst("node1", "flaky", 3);

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "", task("flaky", "\"retries\": 2, \"delaySec\": 0"),
                task("after")), hosts("node1"), options());

        assertThat(hosts.calls("node1", "flaky")).isEqualTo(3);
        assertThat(run.result("node1", "flaky").result().msg()).isEqualTo("flaky failed (call 3)");
        assertThat(hosts.ranOn("node1")).doesNotContain("after");
        assertThat(run.recap("node1").failed()).as("the retries are one task in the recap").isEqualTo(1);
    }

    @Test
    void withoutRetriesAFailedTaskRunsOnce() {
        ScriptedConnector hosts = new ScriptedConnector().failsFirst("node1", "flaky", 1);

        ScriptedRun.run(hosts, play("all", "", task("flaky")), hosts("node1"), options());

        assertThat(hosts.calls("node1", "flaky")).isEqualTo(1);
    }

    @Test
    void aHostLostInATaskIsNotRetried() {
        ScriptedConnector hosts = new ScriptedConnector().goesSilentIn("node1", "flaky");

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "", task("flaky", "\"retries\": 3, \"delaySec\": 0")),
                hosts("node1"), options());

        assertThat(hosts.calls("node1", "flaky")).isEqualTo(1);
        assertThat(run.recap("node1").lost()).isEqualTo(1);
    }
}
