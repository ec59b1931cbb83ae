package dev.rigger.agent;

import static dev.rigger.agent.testing.Modules.args;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.modules.ModuleRunner;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.TaskOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task dispatch as the bridge drives it: results and output go to the listener, devices are serialised. */
class TaskDispatcherTest {
    @TempDir
    Path tmp;

    final List<String> output = new CopyOnWriteArrayList<>();
    final Map<String, ModuleResult> results = new ConcurrentHashMap<>();
    final TaskDispatcher dispatcher = new TaskDispatcher(new ModuleRunner(), new TaskDispatcher.Listener() {
        @Override
        public void output(RunTask task, TaskOutput.Stream stream, String line) {
            output.add(task.taskId() + " " + stream + " " + line);
        }

        @Override
        public void result(RunTask task, ModuleResult result) {
            results.put(task.taskId(), result);
        }
    }, 4);

    @AfterEach
    void close() {
        dispatcher.close();
    }

    @Test
    void tasksOnTheSameDeviceRunOneAfterAnotherInArrivalOrder() throws Exception {
        Path log = tmp.resolve("log");
        CompletableFuture<ModuleResult> first = dispatcher.submit(task("a", "/dev/xvdf", "sleep 0.5; echo a >> " + log));
        CompletableFuture<ModuleResult> second = dispatcher.submit(task("b", "/dev/xvdf", "echo b >> " + log));
        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
        assertThat(Files.readAllLines(log)).containsExactly("a", "b");
    }

    @Test
    void tasksOnDifferentDevicesRunSideBySide() throws Exception {
        Path flag = tmp.resolve("flag");
        // "a" can only finish once "b" has run: were they serialised, "a" would hit its time limit
        CompletableFuture<ModuleResult> a = dispatcher.submit(task("a", "/dev/xvdf",
                "while [ ! -e " + flag + " ]; do sleep 0.05; done"));
        CompletableFuture<ModuleResult> b = dispatcher.submit(task("b", "/dev/xvdg", "touch " + flag));
        assertThat(a.get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.CHANGED);
        assertThat(b.get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.CHANGED);
    }

    @Test
    void resultsAndOutputLinesReachTheListenerTaggedWithTheTask() throws Exception {
        dispatcher.submit(task("t1", null, "echo hello; echo oops >&2")).get(30, TimeUnit.SECONDS);
        assertThat(results.get("t1").status()).isEqualTo(Status.CHANGED);
        assertThat(output).contains("t1 stdout hello", "t1 stderr oops");
    }

    @Test
    void aTimedOutTaskFailsAndTheNextTaskOnThatDeviceStillRuns() throws Exception {
        RunTask slow = RunTask.of("slow", "h", "command", args("{\"device\":\"/dev/xvdf\",\"argv\":[\"sleep\",\"60\"]}"), false, false, 1);
        CompletableFuture<ModuleResult> s = dispatcher.submit(slow);
        CompletableFuture<ModuleResult> next = dispatcher.submit(task("next", "/dev/xvdf", "true"));
        assertThat(s.get(30, TimeUnit.SECONDS).msg()).contains("timed out after 1 s");
        assertThat(next.get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.CHANGED);
    }

    @Test
    void aCancelledTaskEndsAsCancelledWithItsCommandAndWhatItLeftBehindKilled() throws Exception {
        String marker = "sleep 300." + (System.nanoTime() % 1_000_000);
        // a child in the background and one in the foreground, as a hung script would leave them
        CompletableFuture<ModuleResult> hung = dispatcher.submit(task("hung", null, marker + " & " + marker));
        waitFor(() -> pgrep(marker) >= 2);
        long asked = System.nanoTime();
        assertThat(dispatcher.cancel("hung")).isTrue();
        ModuleResult result = hung.get(10, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(Status.CANCELLED);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).as("cancelled at once").isLessThan(5_000);
        waitFor(() -> pgrep(marker) == 0);
        assertThat(results.get("hung").status()).as("the controller is answered too").isEqualTo(Status.CANCELLED);
    }

    @Test
    void aQueuedTaskThatIsCancelledNeverStarts() throws Exception {
        Path ran = tmp.resolve("ran");
        CompletableFuture<ModuleResult> first = dispatcher.submit(task("first", "/dev/xvdf", "sleep 1"));
        CompletableFuture<ModuleResult> second = dispatcher.submit(task("second", "/dev/xvdf", "touch " + ran));
        assertThat(dispatcher.cancel("second")).isTrue();
        assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.CHANGED);
        assertThat(second.get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.CANCELLED);
        assertThat(ran).doesNotExist();
        assertThat(dispatcher.cancel("unknown")).isFalse();
    }

    private static long pgrep(String pattern) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-f", pattern).redirectErrorStream(true).start();
        long n = new String(p.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).count();
        p.waitFor();
        return n;
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(until);
            Thread.sleep(50);
        }
    }

    @Test
    void deviceKeyIgnoresModulesThatOnlyRead() {
        assertThat(TaskDispatcher.deviceKey(RunTask.of("1", "h", "disk", args("{\"device\":\"/dev/xvdf\"}"), false, false, 0))).isNull();
        assertThat(TaskDispatcher.deviceKey(RunTask.of("1", "h", "filesystem", args("{\"device\":\"/dev/xvdf\"}"), false, false, 0)))
                .isEqualTo("/dev/xvdf");
    }

    private static RunTask task(String id, String device, String shell) {
        String dev = device == null ? "" : "\"device\":" + q(device) + ",";
        return RunTask.of(id, "h", "command", args("{" + dev + "\"cmd\":" + q(shell) + "}"), false, false, 20);
    }
}
