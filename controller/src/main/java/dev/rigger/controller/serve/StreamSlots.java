package dev.rigger.controller.serve;

import java.util.HashMap;
import java.util.Map;

/**
 * Caps the event streams the server feeds at once, per run and in all, so that clients opening streams
 * cannot make it hold an unbounded number of queues, open logs and sockets. A stream that finds no slot
 * is refused with 429 and says which cap it hit.
 */
final class StreamSlots {
    static final int DEFAULT_PER_RUN = 16;
    static final int DEFAULT_TOTAL = 64;

    private final int perRun;
    private final int total;
    private final Map<String, Integer> open = new HashMap<>();
    private int all;

    StreamSlots(int perRun, int total) {
        this.perRun = perRun;
        this.total = total;
    }

    StreamSlots() {
        this(DEFAULT_PER_RUN, DEFAULT_TOTAL);
    }

    /**
     * Takes a slot for a stream of run {@code id}.
     *
     * @return gives the slot back (only its first call counts)
     * @throws ApiException 429 when the run, or the server, has as many streams as it takes
     */
    synchronized Runnable take(String id) throws ApiException {
        if (all >= total) {
            throw new ApiException(429, "the server already streams " + all + " event streams (at most " + total
                    + "); close one or retry later");
        }
        int mine = open.getOrDefault(id, 0);
        if (mine >= perRun) {
            throw new ApiException(429, "run " + id + " already has " + mine + " event streams (at most " + perRun
                    + "); close one or retry later");
        }
        open.put(id, mine + 1);
        all++;
        boolean[] given = {false};
        return () -> {
            synchronized (this) {
                if (given[0]) {
                    return;
                }
                given[0] = true;
                all--;
                open.computeIfPresent(id, (k, n) -> n <= 1 ? null : n - 1);
            }
        };
    }

    synchronized int open() {
        return all;
    }
}
