package dev.rigger.controller.events;

/** Receives the events of a run, in order per host. Called from the executor's threads: keep it quick. */
@FunctionalInterface
public interface RunListener {
    void on(RunEvent event);
}
