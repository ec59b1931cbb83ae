package dev.rigger.controller.events;

import dev.rigger.controller.state.PlayKey;
import dev.rigger.controller.state.PlayRecord;
import dev.rigger.controller.state.StateStore;
import dev.rigger.protocol.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Files in the state store, as the run goes: each host's facts, each task's last result, and how each
 * play last went on each host (ok, failed at which task, unreachable, lost in which task).
 */
public final class StateRecorder implements RunListener {
    private final StateStore store;
    private final boolean check;
    private String runId;
    private String playbook;
    private String play;
    private final Map<String, PlayRecord> current = new HashMap<>();
    /** Hosts that left the run (failed or unreachable): later plays do not run on them. */
    private final Set<String> out = new HashSet<>();

    /** @param check in check mode nothing was applied, so nothing is recorded as if it had been */
    public StateRecorder(StateStore store, boolean check) {
        this.store = store;
        this.check = check;
    }

    @Override
    public synchronized void on(RunEvent event) {
        try {
            if (event instanceof RunEvent.RunStarted r) {
                runId = r.runId();
                playbook = r.playbook();
            } else if (event instanceof RunEvent.PlayStarted p && !check) {
                play = p.play();
                for (String host : p.hosts()) {
                    record(host, new PlayRecord(playKey(), runId, out.contains(host) ? "not-run" : "ok", null,
                            Instant.now().toString()));
                }
            } else if (event instanceof RunEvent.HostConnected c && c.facts() != null) {
                store.recordFacts(c.host(), c.facts());
            } else if (event instanceof RunEvent.HostUnreachable u && !check && play != null) {
                out.add(u.host());
                record(u.host(), new PlayRecord(playKey(), runId, "unreachable", null, Instant.now().toString()));
            } else if (event instanceof RunEvent.HostLost l && !check && play != null) {
                out.add(l.host());
                PlayRecord before = current.get(l.host());
                String playKey = before != null ? before.playKey() : playKey();
                record(l.host(), new PlayRecord(playKey, runId, "lost", l.task(), Instant.now().toString()));
            } else if (event instanceof RunEvent.RunFinished) {
                store.sync();
            } else if (event instanceof RunEvent.TaskFinished f && !check && f.countsInRecap()) {
                store.recordTask(f.host(), f.taskKey(), runId, f.result());
                PlayRecord before = current.get(f.host());
                if (f.result().status() == Status.CANCELLED && before != null
                        && before.firstFailedTask() == null) {
                    // the play did not finish on the host: not ok, and not its failure either
                    record(f.host(), new PlayRecord(before.playKey(), runId, "cancelled", f.task(), Instant.now().toString()));
                } else if (f.result().failed() && !f.ignored() && before != null && before.firstFailedTask() == null) {
                    out.add(f.host());
                    record(f.host(), new PlayRecord(before.playKey(), runId, "failed", f.task(), Instant.now().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state: " + e.getMessage(), e);
        }
    }

    private String playKey() {
        return new PlayKey(playbook, play).encoded();
    }

    private void record(String host, PlayRecord record) throws IOException {
        current.put(host, record);
        store.recordPlay(host, record);
    }
}
