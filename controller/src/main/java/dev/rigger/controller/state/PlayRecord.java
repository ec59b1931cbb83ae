package dev.rigger.controller.state;

/**
 * How a play last went on one host.
 *
 * @param playKey         a {@link PlayKey}'s encoding
 * @param status          ok, failed, unreachable, lost (the host fell silent while a task ran), or not-run
 *                        (the host had left the run in an earlier play)
 * @param firstFailedTask the first task that failed in that run (for a lost host: the task it was lost in), or null
 */
public record PlayRecord(String playKey, String runId, String status, String firstFailedTask, String at) {
    public boolean failed() {
        return !"ok".equals(status);
    }
}
