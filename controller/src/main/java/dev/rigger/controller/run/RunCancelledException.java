package dev.rigger.controller.run;

/** Completes a task's wait when its run is cancelled. */
final class RunCancelledException extends RuntimeException {
    RunCancelledException(String reason) {
        super(reason, null, false, false);
    }
}
