package dev.rigger.controller.serve;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * One subscriber's view of a live run: the frames it has not read yet, bounded. The run offers frames
 * from its threads; the subscriber's HTTP response takes them on its event loop as fast as its socket
 * drains. A subscriber that falls behind misses output lines (and heartbeats), and the first frame it
 * gets afterwards says how many; one so far behind that even the run's own events pile up is dropped.
 * Either way a slow reader costs the server a bounded queue, never the whole run.
 */
final class RunStream {
    /** Output lines waiting for one subscriber before further ones are skipped. */
    static final int MAX_QUEUED = 2_000;
    /** Characters waiting for one subscriber before output lines are skipped. */
    static final long MAX_QUEUED_CHARS = 512 * 1024;
    /** Characters waiting, run events included, past which the subscriber is dropped. */
    static final long DROP_CHARS = 4L << 20;

    private final ArrayDeque<LiveRun.Frame> queue = new ArrayDeque<>();
    private final Iterator<LiveRun.Frame> replay;
    private final Runnable wake;
    private long chars;
    private long skipped;
    private boolean ended;
    private boolean dropped;
    /** True while the reader waits to be woken: the next frame wakes it, later ones just queue. */
    private boolean armed = true;

    /**
     * @param replay what the run kept of its past, given before anything live
     * @param wake   called (on any thread) when frames or the end arrive for a reader that had caught up
     */
    RunStream(List<LiveRun.Frame> replay, Runnable wake) {
        this.replay = replay.iterator();
        this.wake = wake;
    }

    /** Offers a live frame; false once the stream is over (ended or dropped). */
    boolean offer(LiveRun.Frame frame) {
        boolean wakeNow;
        synchronized (this) {
            if (ended) {
                return false;
            }
            boolean full = queue.size() >= MAX_QUEUED || chars + frame.json().length() > MAX_QUEUED_CHARS;
            if (full && frame.skippable()) {
                skipped++;
                return true;
            }
            if (chars + frame.json().length() > DROP_CHARS) {
                queue.clear();
                chars = 0;
                dropped = true;
                ended = true;
                queue.add(LiveRun.Frame.note("StreamDropped", "{\"reason\":\"this client read the stream too slowly;"
                        + " the run goes on: read GET /api/runs/{id} or its events again\"}"));
            } else {
                if (skipped > 0) {
                    queue.add(LiveRun.Frame.note("OutputSkipped", "{\"lines\":" + skipped
                            + ",\"reason\":\"this client read too slowly; the run log has every line\"}"));
                    skipped = 0;
                }
                queue.add(frame);
                chars += frame.json().length();
            }
            wakeNow = armed;
            armed = false;
        }
        if (wakeNow) {
            wake.run();
        }
        return !dropped;
    }

    /** The run is over: the reader gets what is queued, then the end. */
    void end() {
        boolean wakeNow;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            wakeNow = armed;
            armed = false;
        }
        if (wakeNow) {
            wake.run();
        }
    }

    /** The next frame to write, or null when none is waiting (the next offer or the end wakes the reader). */
    synchronized LiveRun.Frame poll() {
        if (replay.hasNext()) {
            return replay.next();
        }
        LiveRun.Frame next = queue.poll();
        if (next != null) {
            chars -= next.json().length();
            return next;
        }
        armed = true;
        return null;
    }

    /** Nothing more will come: ended (or dropped) and all read. */
    synchronized boolean over() {
        return ended && queue.isEmpty() && !replay.hasNext();
    }

    synchronized boolean dropped() {
        return dropped;
    }

    synchronized int queued() {
        return queue.size();
    }
}
