package dev.rigger.controller.run;

import static dev.rigger.controller.run.ScriptedRun.hosts;
import static dev.rigger.controller.run.ScriptedRun.options;
import static dev.rigger.controller.run.ScriptedRun.play;
import static dev.rigger.controller.run.ScriptedRun.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code strategy: linear} waits for every host at each task; {@code strategy: free} lets each host run ahead. */
class StrategyTest {
    private static final String[] TASKS = {task("one"), task("two"), task("three")};

    @Test
    void linearRunsEachTaskOnEveryHostBeforeAnyHostStartsTheNextOne() {
        ScriptedConnector hosts = new ScriptedConnector();

        ScriptedRun.run(hosts, play("all", "\"strategy\": \"linear\"", TASKS), hosts("node1", "node2"),
                options(1, Set.of(), Set.of(), null));

        assertThat(hosts.started()).containsExactly(
                "node1 one", "node2 one", "node1 two", "node2 two", "node1 three", "node2 three");
    }

    @Test
    void freeRunsEveryTaskOfAHostBeforeTheNextHostWhenThereIsOneFork() {
        ScriptedConnector hosts = new ScriptedConnector();

        ScriptedRun.run(hosts, play("all", "\"strategy\": \"free\"", TASKS), hosts("node1", "node2"),
                options(1, Set.of(), Set.of(), null));

        assertThat(hosts.started()).containsExactly(
                "node1 one", "node1 two", "node1 three", "node2 one", "node2 two", "node2 three");
    }

    @Test
    void freeLetsAFastHostFinishThePlayWhileASlowHostIsStillInItsFirstTask() throws Exception {
        CountDownLatch fastDone = new CountDownLatch(1);
        ScriptedConnector hosts = new ScriptedConnector()
                .on("slow", "one", (task, call) -> CompletableFuture.supplyAsync(() -> {
                    await(fastDone);
                    return ScriptedConnector.ok(task, Map.of());
                }))
                .on("fast", "three", (task, call) -> {
                    fastDone.countDown();
                    return ScriptedConnector.done(ScriptedConnector.ok(task, Map.of()));
                });

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "\"strategy\": \"free\"", TASKS), hosts("slow", "fast"),
                options(2, Set.of(), Set.of(), null));

        assertThat(hosts.ended().indexOf("fast three")).isLessThan(hosts.ended().indexOf("slow one"));
        assertThat(run.finished()).containsSubsequence("fast one", "fast two", "fast three", "slow one", "slow two");
        assertThat(run.report.exitCode()).isZero();
    }

    @Test
    void linearRunsATaskOnItsHostsAtTheSameTime() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        ScriptedConnector.Answer meet = (task, call) -> {
            bothStarted.countDown();
            // each host's first task ends only once the other host's has started
            await(bothStarted);
            return ScriptedConnector.done(ScriptedConnector.ok(task, Map.of()));
        };
        ScriptedConnector hosts = new ScriptedConnector().on("node1", "one", meet).on("node2", "one", meet);

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "\"strategy\": \"linear\"", TASKS), hosts("node1", "node2"),
                options(2, Set.of(), Set.of(), null));

        assertThat(bothStarted.getCount()).isZero();
        assertThat(hosts.started().subList(0, 2)).containsExactlyInAnyOrder("node1 one", "node2 one");
        assertThat(hosts.started().subList(2, 4)).containsExactlyInAnyOrder("node1 two", "node2 two");
        assertThat(run.recap("node1").ok()).isEqualTo(3);
    }

    @Test
    void aHostThatFailsLeavesThePlayWhileTheOthersGoOnWithBothStrategies() {
        for (String strategy : List.of("linear", "free")) {
            ScriptedConnector hosts = new ScriptedConnector().fails("node1", "two");

            ScriptedRun run = ScriptedRun.run(hosts, play("all", "\"strategy\": \"" + strategy + "\"", TASKS),
                    hosts("node1", "node2"), options(1, Set.of(), Set.of(), null));

            assertThat(hosts.ranOn("node1")).as(strategy).containsExactly("one", "two");
            assertThat(hosts.ranOn("node2")).as(strategy).containsExactly("one", "two", "three");
            assertThat(run.recap("node1").failed()).as(strategy).isEqualTo(1);
            assertThat(run.recap("node2").ok()).as(strategy).isEqualTo(3);
            assertThat(run.report.exitCode()).as(strategy).isEqualTo(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the other host never got there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
