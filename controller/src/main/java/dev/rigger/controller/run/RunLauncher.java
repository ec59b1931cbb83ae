package dev.rigger.controller.run;

import dev.rigger.controller.events.JsonlRunLog;
import dev.rigger.controller.events.MaskingListener;
import dev.rigger.controller.events.RunListener;
import dev.rigger.controller.events.StateRecorder;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.security.RunSecrets;
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

    /** The values the run masks, as far as they are known before it starts: vars from every source. */
    static RunSecrets secrets(Playbook book, Inventory inventory, RunOptions options) {
        RunSecrets secrets = RunSecrets.of(book.maskVars());
        secrets.addVars(book.vars());
        book.plays().forEach(play -> secrets.addVars(play.vars()));
        book.inventory().hosts().values().forEach(h -> secrets.addVars(h.vars()));
        inventory.hosts().forEach(h -> secrets.addVars(h.vars()));
        secrets.addVars(options.extraVars());
        return secrets;
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
            RunSecrets secrets = secrets(book, inventory, options);
            // one lock across the three, so the log, the state and a live stream see the hosts' events in one order;
            // masked before any of them, so none of them can show a secret the others hide
            PlaybookExecutor executor = new PlaybookExecutor(connector, options, new MaskingListener(secrets, e -> {
                synchronized (order) {
                    log.on(e);
                    recorder.on(e);
                    listener.on(e);
                }
            }), state, secrets).cancelWith(cancel);
            return executor.run(runId, book, inventory);
        }
    }
}
