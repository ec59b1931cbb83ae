package dev.rigger.controller.agents;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets at most one heartbeat per host and interval through to the run's event stream. An agent
 * thawed after a pause sends the beats it missed in a burst; the stream needs to show liveness, not
 * the burst. A tenth of the interval is forgiven so that ordinary jitter drops nothing.
 */
public final class HeartbeatThrottle {
    private final long minGapMs;
    private final Map<String, Long> lastPassed = new ConcurrentHashMap<>();

    public HeartbeatThrottle(long intervalMs) {
        this.minGapMs = intervalMs - intervalMs / 10;
    }

    /** @return true when a heartbeat of {@code host} arriving at {@code nowMs} should be reported */
    public boolean admit(String host, long nowMs) {
        boolean[] admitted = {false};
        lastPassed.compute(host, (h, last) -> {
            if (last == null || nowMs - last >= minGapMs) {
                admitted[0] = true;
                return nowMs;
            }
            return last;
        });
        return admitted[0];
    }

    public void forget(String host) {
        lastPassed.remove(host);
    }
}
