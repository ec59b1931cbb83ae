package dev.rigger.controller.events;

/** One host's line of the PLAY RECAP. */
public record HostRecap(int ok, int changed, int failed, int skipped, int unreachable, int ignored, long tookMs) {
    public static final HostRecap EMPTY = new HostRecap(0, 0, 0, 0, 0, 0, 0);
}
