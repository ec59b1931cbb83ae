package dev.rigger.controller.serve;

import dev.rigger.controller.events.HostRecap;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.events.RunEventJson;
import dev.rigger.controller.events.RunListener;
import dev.rigger.controller.events.RunSummary;
import dev.rigger.controller.run.RunCancel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run started by the server: what a client that subscribes late is replayed, kept in memory as it
 * happens, then the live events. Memory is bounded whatever the run prints: the run's own events (plays,
 * tasks, results) are kept, but of its output lines and heartbeats only the newest {@link #KEPT_OUTPUT};
 * the run log on disk has them all. Events come from the executor's threads.
 */
final class LiveRun implements RunListener {
    /** Output lines (and heartbeats) kept for a subscriber that comes late. */
    static final int KEPT_OUTPUT = 1_000;

    /**
     * One event as the stream carries it: its type and its JSON, and its place in the run.
     *
     * @param skippable an output line or heartbeat: a slow reader may miss it (and is told how many it missed)
     */
    record Frame(long seq, String type, String json, boolean skippable) {
        /** A note from the server, not an event of the run. */
        static Frame note(String type, String json) {
            return new Frame(-1, type, json, false);
        }
    }

    private final String id;
    private final RunRequest request;
    private final List<Map<String, String>> plan;
    private final long startedAt = System.currentTimeMillis();
    private final List<Frame> kept = new ArrayList<>();
    private final ArrayDeque<Frame> recentOutput = new ArrayDeque<>();
    private long outputSeen;
    private long seq;
    private final RunSummary.Builder summary = new RunSummary.Builder();
    private final Set<String> hosts = new LinkedHashSet<>();
    private final List<RunStream> subscribers = new ArrayList<>();
    private final RunCancel cancel = new RunCancel();
    private boolean finished;
    private String error;

    /** @param hosts the hosts the limit selects, known before the first play starts; empty without a limit */
    LiveRun(String id, RunRequest request, List<Map<String, String>> plan, List<String> hosts) {
        this.id = id;
        this.request = request;
        this.plan = plan;
        this.hosts.addAll(hosts);
    }

    String id() {
        return id;
    }

    /** The switch that cancels this run. */
    RunCancel cancelSwitch() {
        return cancel;
    }

    @Override
    public void on(RunEvent event) {
        boolean skippable = event instanceof RunEvent.TaskOutputLine || event instanceof RunEvent.Heartbeat;
        String type = RunEventJson.typeName(event);
        String json = RunEventJson.write(event);
        List<RunStream> now;
        Frame frame;
        synchronized (this) {
            frame = new Frame(seq++, type, json, skippable);
            if (skippable) {
                outputSeen++;
                recentOutput.addLast(frame);
                if (recentOutput.size() > KEPT_OUTPUT) {
                    recentOutput.removeFirst();
                }
            } else {
                kept.add(frame);
            }
            summary.on(event);
            if (event instanceof RunEvent.PlayStarted p) {
                hosts.addAll(p.hosts());
            }
            now = List.copyOf(subscribers);
        }
        for (RunStream s : now) {
            if (!s.offer(frame)) {
                unsubscribe(s);
            }
        }
    }

    /** The run ended; {@code error} says why when it could not run at all (the state held by another run). */
    void finish(String error) {
        List<RunStream> now;
        synchronized (this) {
            this.error = error;
            finished = true;
            now = List.copyOf(subscribers);
            subscribers.clear();
        }
        now.forEach(RunStream::end);
    }

    /**
     * A stream of what happened so far (the run's events, the newest output lines, and a note of how
     * many older ones only the log has), then the live events; {@code wake} is called when the stream
     * has something for a reader that had caught up. Ended at once for a finished run.
     */
    RunStream subscribe(Runnable wake) {
        RunStream stream;
        synchronized (this) {
            List<Frame> past = new ArrayList<>(kept.size() + recentOutput.size() + 1);
            long older = outputSeen - recentOutput.size();
            Iterator<Frame> a = kept.iterator();
            Iterator<Frame> b = recentOutput.iterator();
            Frame x = a.hasNext() ? a.next() : null;
            Frame y = b.hasNext() ? b.next() : null;
            boolean noted = older == 0;
            while (x != null || y != null) {
                if (y != null && (x == null || y.seq() < x.seq())) {
                    if (!noted) {
                        past.add(Frame.note("OutputSkipped", "{\"lines\":" + older
                                + ",\"reason\":\"older output lines are in the run log only\"}"));
                        noted = true;
                    }
                    past.add(y);
                    y = b.hasNext() ? b.next() : null;
                } else {
                    past.add(x);
                    x = a.hasNext() ? a.next() : null;
                }
            }
            stream = new RunStream(past, wake);
            if (!finished) {
                subscribers.add(stream);
            }
        }
        if (finished()) {
            stream.end();
        }
        return stream;
    }

    /** Stops streaming to {@code stream} (its client went away). */
    synchronized void unsubscribe(RunStream stream) {
        subscribers.remove(stream);
    }

    synchronized int subscribers() {
        return subscribers.size();
    }

    synchronized boolean finished() {
        return finished;
    }

    /** RunInfo of the API. */
    synchronized Map<String, Object> info() {
        RunSummary summary = this.summary.summary(id);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", id);
        info.put("playbook", request.playbook());
        info.put("limit", request.limit());
        info.put("check", request.check());
        String status = !finished ? (cancel.cancelled() ? "cancelling" : "running")
                : error != null ? "failed" : summary.status();
        info.put("status", status);
        info.put("startedAt", Instant.ofEpochMilli(startedAt).toString());
        info.put("finishedAt", summary.finishedAt() == null ? null : Instant.ofEpochMilli(summary.finishedAt()).toString());
        info.put("hosts", List.copyOf(hosts));
        info.put("tasks", plan);
        Map<String, HostRecap> recap = summary.recap();
        info.put("recap", recap.isEmpty() && !finished ? null : recap);
        if (error != null) {
            info.put("error", error);
        }
        return info;
    }

    /** The same info for a run known only from its log (an earlier server, or the CLI). */
    static Map<String, Object> info(RunSummary s) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", s.id());
        info.put("playbook", s.playbook());
        info.put("limit", null);
        info.put("check", s.check());
        info.put("status", "running".equals(s.status()) ? "incomplete" : s.status());
        info.put("startedAt", Instant.ofEpochMilli(s.startedAt()).toString());
        info.put("finishedAt", s.finishedAt() == null ? null : Instant.ofEpochMilli(s.finishedAt()).toString());
        info.put("hosts", List.copyOf(s.recap().keySet()));
        info.put("tasks", List.of());
        info.put("recap", s.recap());
        return info;
    }
}
