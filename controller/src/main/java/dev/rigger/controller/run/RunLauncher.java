package dev.rigger.controller.run;

import dev.rigger.controller.events.JsonlRunLog;
import dev.rigger.controller.events.RunListener;
import dev.rigger.controller.events.StateRecorder;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.playbook.Playbook;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One run of a playbook with everything a run records whoever starts it (the CLI or {@code rigger serve}):
 * the state store, the run's JSONL log, and the caller's own listener (console, dashboard stream).
 */
public final class RunLauncher {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private RunLauncher() {
    }

    /** Run ids sort by start time, so the newest log is the last file name. */
    public static String newRunId() {
        return LocalDateTime.now().format(RUN_ID);
    }

    /**
     * Runs {@code book} to the end.
     *
     * @throws IOException when the state is held by another run or cannot be written
     */
    public static RunReport run(HostConnector connector, String runId, Playbook book, Inventory inventory,
                                RunOptions options, RunListener listener) throws IOException {
        return run(connector, runId, book, inventory, options, listener, RunCancel.never());
    }

    /** As above, stopped early when {@code cancel} is thrown. */
    public static RunReport run(HostConnector connector, String runId, Playbook book, Inventory inventory,
                                RunOptions options, RunListener listener, RunCancel cancel) throws IOException {
        try (JsonFileStateStore state = JsonFileStateStore.open(options.stateDir());
             JsonlRunLog log = new JsonlRunLog(options.stateDir().resolve("runs"), runId)) {
            StateRecorder recorder = new StateRecorder(state, options.check());
            Object order = new Object();
            // one lock across the three, so the log, the state and a live stream see the hosts' events in one order
            PlaybookExecutor executor = new PlaybookExecutor(connector, options, e -> {
                synchronized (order) {
                    log.on(e);
                    recorder.on(e);
                    listener.on(e);
                }
            }, state).cancelWith(cancel);
            return executor.run(runId, book, inventory);
        }
    }
}
