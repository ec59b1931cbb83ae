package dev.rigger.controller.events;

import dev.rigger.controller.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Files each task's last result and each host's facts in the state store as the run goes. */
public final class StateRecorder implements RunListener {
    private final StateStore store;
    private final boolean check;

    /** @param check in check mode nothing was applied, so nothing is recorded as if it had been */
    public StateRecorder(StateStore store, boolean check) {
        this.store = store;
        this.check = check;
    }

    @Override
    public void on(RunEvent event) {
        try {
            if (event instanceof RunEvent.HostConnected c && c.facts() != null) {
                store.recordFacts(c.host(), c.facts());
            } else if (event instanceof RunEvent.TaskFinished f && !check && f.countsInRecap()) {
                store.recordTask(f.host(), f.taskKey(), f.result());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state: " + e.getMessage(), e);
        }
    }
}
