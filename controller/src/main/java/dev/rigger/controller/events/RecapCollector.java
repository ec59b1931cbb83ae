package dev.rigger.controller.events;

import dev.rigger.protocol.Status;
import java.util.LinkedHashMap;
import java.util.Map;

/** Computes the PLAY RECAP from events alone. */
public final class RecapCollector implements RunListener {
    private final Map<String, int[]> counts = new LinkedHashMap<>();
    private final Map<String, Long> firstSeen = new LinkedHashMap<>();
    private final Map<String, Long> lastSeen = new LinkedHashMap<>();
    /** Host -> the task it was lost in: that task's failed result is the loss, counted once as lost. */
    private final Map<String, String> lostIn = new LinkedHashMap<>();

    private static final int OK = 0, CHANGED = 1, FAILED = 2, SKIPPED = 3, UNREACHABLE = 4, IGNORED = 5, LOST = 6,
            CANCELLED = 7;
    private static final int KINDS = 8;

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.PlayStarted p) {
            p.hosts().forEach(h -> counts.computeIfAbsent(h, k -> new int[KINDS]));
        } else if (event instanceof RunEvent.HostUnreachable u) {
            counts.computeIfAbsent(u.host(), k -> new int[KINDS])[UNREACHABLE]++;
            seen(u.host(), u.at());
        } else if (event instanceof RunEvent.HostLost l) {
            if (lostIn.putIfAbsent(l.host(), l.taskKey()) == null) {
                counts.computeIfAbsent(l.host(), k -> new int[KINDS])[LOST]++;
            }
            seen(l.host(), l.at());
        } else if (event instanceof RunEvent.TaskStarted s) {
            seen(s.host(), s.at());
        } else if (event instanceof RunEvent.TaskFinished f && f.countsInRecap()) {
            int[] c = counts.computeIfAbsent(f.host(), k -> new int[KINDS]);
            Status status = f.result().status();
            if (status == Status.FAILED && f.taskKey() != null && f.taskKey().equals(lostIn.get(f.host()))) {
                // already counted as lost
            } else if (f.ignored()) {
                c[IGNORED]++;
            } else if (status == Status.FAILED) {
                c[FAILED]++;
            } else if (status == Status.SKIPPED) {
                c[SKIPPED]++;
            } else if (status == Status.CANCELLED) {
                c[CANCELLED]++;
            } else {
                c[OK]++;
                if (f.result().changed()) {
                    c[CHANGED]++;
                }
            }
            seen(f.host(), f.at());
        }
    }

    private void seen(String host, long at) {
        firstSeen.putIfAbsent(host, at);
        lastSeen.put(host, at);
    }

    public synchronized Map<String, HostRecap> recap() {
        Map<String, HostRecap> recap = new LinkedHashMap<>();
        counts.forEach((host, c) -> {
            long took = firstSeen.containsKey(host) ? lastSeen.get(host) - firstSeen.get(host) : 0;
            recap.put(host, new HostRecap(c[OK], c[CHANGED], c[FAILED], c[SKIPPED], c[UNREACHABLE], c[IGNORED], took,
                    c[LOST], c[CANCELLED]));
        });
        return recap;
    }
}
