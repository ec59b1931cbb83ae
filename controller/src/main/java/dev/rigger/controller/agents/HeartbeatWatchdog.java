package dev.rigger.controller.agents;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which hosts are lost: a host that has a task running and from which nothing (heartbeat,
 * output, result) arrived for {@code lostAfterMs}. It only compares timestamps it is given, so the
 * decision can be checked without waiting; the registry feeds it from its event loop, one thread.
 */
public final class HeartbeatWatchdog {
    private final long lostAfterMs;
    private final long stallMs;
    private final Map<String, Long> lastHeard = new HashMap<>();
    private long lastTick = Long.MIN_VALUE;

    /** A host found silent for too long, and for how long. */
    public record Silence(String host, long silentMs) {
    }

    /**
     * @param lostAfterMs silence that makes a busy host lost; 0 or less never declares one
     * @param tickMs      how often {@link #tick} is called: a tick much later than that means the
     *                    controller itself stood still, and then the hosts' silence proves nothing
     */
    public HeartbeatWatchdog(long lostAfterMs, long tickMs) {
        this.lostAfterMs = lostAfterMs;
        this.stallMs = 3 * tickMs;
    }

    /** How often the registry should call {@link #tick}: a fraction of the threshold, at most once a second. */
    public static long tickMillis(long lostAfterMs) {
        return Math.max(100, Math.min(1000, lostAfterMs / 4));
    }

    public boolean enabled() {
        return lostAfterMs > 0;
    }

    /** Anything arrived from {@code host}: it is alive. */
    public void heard(String host, long nowMs) {
        lastHeard.merge(host, nowMs, Math::max);
    }

    public void forget(String host) {
        lastHeard.remove(host);
    }

    /**
     * @param busyHosts hosts with at least one task the controller waits for
     * @return the busy hosts silent for at least the threshold; an idle host is never lost
     */
    public List<Silence> tick(long nowMs, Set<String> busyHosts) {
        boolean stalled = lastTick != Long.MIN_VALUE && nowMs - lastTick > stallMs;
        lastTick = nowMs;
        List<Silence> lost = new ArrayList<>();
        if (!enabled()) {
            return lost;
        }
        if (stalled) {
            // what the hosts sent meanwhile may still wait in the controller's queues: restart every clock
            lastHeard.replaceAll((host, at) -> nowMs);
        }
        for (String host : busyHosts) {
            // a host never heard from starts its clock now, when it is first seen busy
            long since = lastHeard.computeIfAbsent(host, h -> nowMs);
            long silent = nowMs - since;
            if (silent >= lostAfterMs) {
                lost.add(new Silence(host, silent));
            }
        }
        return lost;
    }
}
