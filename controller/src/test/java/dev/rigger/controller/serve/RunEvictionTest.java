package dev.rigger.controller.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.events.JsonlRunLog;
import dev.rigger.controller.events.RunEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finished runs leave memory; their logs answer for them. */
class RunEvictionTest {
    @TempDir
    Path state;

    private RunManager manager() {
        ControllerOptions controller = new ControllerOptions(state, Path.of("agent.jar"), false, 5, false);
        return new RunManager(ServeOptions.defaults(controller, () -> null), null);
    }

    private LiveRun finishedRun(RunManager manager, String id, boolean cancelled) throws Exception {
        LiveRun run = new LiveRun(id, new RunRequest("p.json", null, false, Map.of()), List.of(), List.of());
        manager.adopt(run);
        try (JsonlRunLog log = new JsonlRunLog(state.resolve("runs"), id)) {
            for (RunEvent e : List.<RunEvent>of(new RunEvent.RunStarted(1, id, "p", false),
                    new RunEvent.TaskOutputLine(2, "t", "node1", "stdout", "hello"))) {
                log.on(e);
                run.on(e);
            }
            if (cancelled) {
                RunEvent c = new RunEvent.RunCancelled(3, id, "asked");
                log.on(c);
                run.on(c);
            }
            RunEvent end = new RunEvent.RunFinished(4, id, Map.of(), 3);
            log.on(end);
            run.on(end);
        }
        run.finish(null);
        manager.finished(run);
        return run;
    }

    @Test
    void onlyTheNewestFinishedRunsStayInMemoryAndTheOthersAreReadFromTheirLogs() throws Exception {
        RunManager manager = manager();
        for (int i = 0; i < 10; i++) {
            finishedRun(manager, "run-" + i, i == 0);
        }
        assertThat(manager.inMemory()).isEqualTo(RunManager.KEEP_FINISHED);
        assertThat(manager.live("run-9")).as("a finished run streams from its log").isEmpty();
        assertThat(manager.info("run-0")).get().satisfies(info -> assertThat(info.get("status")).isEqualTo("cancelled"));
        assertThat(manager.info("run-1")).get().satisfies(info -> assertThat(info.get("status")).isEqualTo("ok"));
        assertThat(manager.list()).hasSize(10);
    }

    @Test
    void cancellingAnUnknownRunIs404AndAFinishedOne409() throws Exception {
        RunManager manager = manager();
        finishedRun(manager, "done", false);
        for (int i = 0; i < RunManager.KEEP_FINISHED + 1; i++) {
            finishedRun(manager, "later-" + i, false);
        }
        assertThatThrownBy(() -> manager.cancel("nope")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> manager.cancel("done")).as("evicted, known from its log")
                .isInstanceOf(ApiException.class).satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(409));
        assertThatThrownBy(() -> manager.cancel("later-" + RunManager.KEEP_FINISHED)).as("finished, still in memory")
                .isInstanceOf(ApiException.class).satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(409));
    }

    @Test
    void cancellingARunningRunThrowsItsSwitch() throws Exception {
        RunManager manager = manager();
        LiveRun run = new LiveRun("going", new RunRequest("p.json", null, false, Map.of()), List.of(), List.of());
        manager.adopt(run);
        assertThat(manager.cancel("going").get("status")).isEqualTo("cancelling");
        assertThat(run.cancelSwitch().cancelled()).isTrue();
    }
}
