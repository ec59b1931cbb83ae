package dev.rigger.controller.events;

/**
 * One host's line of the PLAY RECAP.
 *
 * @param lost 1 when the host went silent while a task ran (see {@link RunEvent.HostLost}); that task
 *             counts here, not under {@code failed}
 * @param cancelled tasks that were running when the run was cancelled: neither ok nor failed
 */
public record HostRecap(int ok, int changed, int failed, int skipped, int unreachable, int ignored, long tookMs,
                        int lost, int cancelled) {
    public static final HostRecap EMPTY = new HostRecap(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public HostRecap(int ok, int changed, int failed, int skipped, int unreachable, int ignored, long tookMs, int lost) {
        this(ok, changed, failed, skipped, unreachable, ignored, tookMs, lost, 0);
    }
}
