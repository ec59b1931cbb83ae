package dev.rigger.controller.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a run's log says about the run as a whole. The recap is rebuilt from the task events, not copied
 * from the log's last line, so a log cut short by a killed run still has one.
 *
 * @param status {@code running} while the log has no RunFinished (or the run was killed), else {@code ok},
 *               {@code failed} or {@code cancelled} (a RunCancelled came first: whatever else happened)
 */
public record RunSummary(String id, String playbook, boolean check, long startedAt, Long finishedAt,
                         long tookMs, String status, Map<String, HostRecap> recap) {

    public static RunSummary of(List<RunEvent> events, String fallbackId) {
        Builder b = new Builder();
        events.forEach(b::on);
        return b.summary(fallbackId);
    }

    /** Folds events into a summary as they come, so a live run's summary costs nothing to ask for. */
    public static final class Builder implements RunListener {
        private final RecapCollector collector = new RecapCollector();
        private String id;
        private String playbook;
        private boolean check;
        private long started;
        private Long finished;
        private long took;
        private boolean aborted;
        private boolean cancelled;

        @Override
        public synchronized void on(RunEvent e) {
            if (e instanceof RunEvent.RunStarted s) {
                id = s.runId();
                playbook = s.playbook();
                check = s.check();
                started = s.at();
            } else if (e instanceof RunEvent.RunCancelled) {
                cancelled = true;
            } else if (e instanceof RunEvent.RunFinished f) {
                finished = f.at();
                took = f.tookMs();
            } else {
                aborted |= e instanceof RunEvent.PlayAborted;
                collector.on(e);
            }
        }

        public synchronized RunSummary summary(String fallbackId) {
            Map<String, HostRecap> recap = collector.recap();
            String status = finished == null ? "running"
                    : cancelled ? "cancelled"
                    : aborted || recap.values().stream().anyMatch(r -> r.failed() > 0 || r.unreachable() > 0 || r.lost() > 0)
                    ? "failed" : "ok";
            return new RunSummary(id != null ? id : fallbackId, playbook, check, started, finished, took, status, recap);
        }
    }

    /** Reads the log line by line: a log of millions of output lines costs no more memory than a short one. */
    public static RunSummary read(Path log) throws IOException {
        String name = log.getFileName().toString();
        Builder b = new Builder();
        RunEventJson.eachInLog(log, Set.of("TaskOutput", "Heartbeat"), b::on);
        return b.summary(name.substring(0, name.length() - ".jsonl".length()));
    }

    /** The run logs in {@code runsDir}, newest first. */
    public static List<Path> logs(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runsDir)) {
            return new ArrayList<>(files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList());
        }
    }
}
