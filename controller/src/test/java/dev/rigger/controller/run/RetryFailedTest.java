package dev.rigger.controller.run;

import static dev.rigger.controller.run.ScriptedRun.hosts;
import static dev.rigger.controller.run.ScriptedRun.options;
import static dev.rigger.controller.run.ScriptedRun.playbook;
import static dev.rigger.controller.run.ScriptedRun.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.state.RetryFailed;
import dev.rigger.playbook.Playbook;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --retry-failed}: each play runs again only on the hosts whose last run of it did not end ok. */
class RetryFailedTest {
    private static final Playbook BOOK = playbook("""
            {"name": "book", "plays": [
              {"name": "first", "hosts": "all", "tasks": [%s]},
              {"name": "second", "hosts": "all", "tasks": [%s]}]}""".formatted(task("one"), task("two")));
    private static final Inventory HOSTS = hosts("node1", "node2", "node3", "node4");

    @Test
    void theStateOfAFailedRunSelectsPerPlayTheHostsThatFailedWereLostOrWereUnreachable(@TempDir Path state)
            throws Exception {
        ScriptedConnector first = new ScriptedConnector().fails("node2", "one").goesSilentIn("node3", "two")
                .unreachable("node4", "no route");
        ScriptedRun.launch(first, BOOK, HOSTS, options(null, Set.of(), Set.of(), null, state));

        Map<String, Set<String>> retry = RetryFailed.hostsPerPlay(state);

        assertThat(retry).containsOnlyKeys("book/first", "book/second");
        assertThat(retry.get("book/first")).containsExactlyInAnyOrder("node2", "node4");
        assertThat(retry.get("book/second")).as("node2 never ran it, node3 was lost in it")
                .containsExactlyInAnyOrder("node2", "node3", "node4");
    }

    @Test
    void aRetryRunsEachPlayOnlyOnItsFailedHosts(@TempDir Path state) throws Exception {
        ScriptedRun.launch(new ScriptedConnector().fails("node2", "one").goesSilentIn("node3", "two"), BOOK, HOSTS,
                options(null, Set.of(), Set.of(), null, state));
        ScriptedConnector retried = new ScriptedConnector();

        ScriptedRun run = ScriptedRun.launch(retried, BOOK, HOSTS,
                options(null, Set.of(), Set.of(), RetryFailed.hostsPerPlay(state), state));

        assertThat(retried.ranOn("node1")).isEmpty();
        assertThat(retried.ranOn("node2")).containsExactly("one", "two");
        assertThat(retried.ranOn("node3")).containsExactly("two");
        assertThat(run.events(RunEvent.PlayStarted.class)).extracting(RunEvent.PlayStarted::hosts)
                .containsExactly(List.of("node2"), List.of("node2", "node3"));
        assertThat(RetryFailed.hostsPerPlay(state)).as("all went well this time").isEmpty();
    }

    @Test
    void aPlayWithNoFailedHostRunsNowhereOnARetry() {
        ScriptedConnector hosts = new ScriptedConnector();

        ScriptedRun run = ScriptedRun.run(hosts, BOOK, HOSTS,
                options(null, Set.of(), Set.of(), Map.of("book/second", Set.of("node1"))));

        assertThat(hosts.started()).containsExactly("node1 two");
        assertThat(run.events(RunEvent.PlayStarted.class)).extracting(RunEvent.PlayStarted::hosts)
                .containsExactly(List.of(), List.of("node1"));
    }
}
