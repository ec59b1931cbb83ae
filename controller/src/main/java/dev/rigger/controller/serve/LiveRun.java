package dev.rigger.controller.serve;

import dev.rigger.controller.events.HostRecap;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.events.RunEventJson;
import dev.rigger.controller.events.RunListener;
import dev.rigger.controller.events.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run started by the server: its events kept in memory as they happen, so a client that subscribes late
 * gets them all, in order, and then the live ones. Events come from the executor's threads.
 */
final class LiveRun implements RunListener {
    /** One event as the stream carries it: its type and its JSON. */
    record Frame(String type, String json) {
    }

    /** A subscriber gets every frame, then {@code end} once the run is over. */
    interface Subscriber {
        void frame(Frame frame);

        void end();
    }

    private final String id;
    private final RunRequest request;
    private final List<Map<String, String>> plan;
    private final long startedAt = System.currentTimeMillis();
    private final List<Frame> frames = new ArrayList<>();
    private final RunSummary.Builder summary = new RunSummary.Builder();
    private final Set<String> hosts = new LinkedHashSet<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
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

    @Override
    public void on(RunEvent event) {
        Frame frame = new Frame(RunEventJson.typeName(event), RunEventJson.write(event));
        List<Subscriber> now;
        synchronized (this) {
            frames.add(frame);
            summary.on(event);
            if (event instanceof RunEvent.PlayStarted p) {
                hosts.addAll(p.hosts());
            }
            now = List.copyOf(subscribers);
        }
        now.forEach(s -> s.frame(frame));
    }

    /** The run ended; {@code error} says why when it could not run at all (the state held by another run). */
    void finish(String error) {
        List<Subscriber> now;
        synchronized (this) {
            this.error = error;
            finished = true;
            now = List.copyOf(subscribers);
            subscribers.clear();
        }
        now.forEach(Subscriber::end);
    }

    /** Replays what happened so far, then streams; returns a handle that stops the stream. */
    Runnable subscribe(Subscriber subscriber) {
        List<Frame> past;
        boolean over;
        synchronized (this) {
            past = List.copyOf(frames);
            over = finished;
            if (!over) {
                subscribers.add(subscriber);
            }
        }
        past.forEach(subscriber::frame);
        if (over) {
            subscriber.end();
        }
        return () -> {
            synchronized (this) {
                subscribers.remove(subscriber);
            }
        };
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
        String status = !finished ? "running" : error != null ? "failed" : summary.status();
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
