package dev.rigger.controller.serve;

import dev.rigger.controller.events.RunSummary;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.controller.run.RunLauncher;
import dev.rigger.controller.run.RunOptions;
import dev.rigger.controller.state.RetryFailed;
import dev.rigger.controller.state.TaskKey;
import dev.rigger.playbook.HostPattern;
import dev.rigger.playbook.HostPatternException;
import dev.rigger.playbook.Play;
import dev.rigger.playbook.Playbook;
import dev.rigger.playbook.PlaybookException;
import dev.rigger.playbook.PlaybookLoader;
import dev.rigger.playbook.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs for the API, one at a time per state directory (as the CLI's lock does), each on a thread
 * of its own so no request waits for it. Everything a request can get wrong is found before the run starts.
 * A finished run stays in memory only until {@link #KEEP_FINISHED} newer ones have finished: after that
 * its log answers for it, so a server that runs for months holds no more than a few runs.
 */
final class RunManager {
    private static final Logger LOG = LoggerFactory.getLogger(RunManager.class);
    /** Finished runs kept in memory (their info names the request's limit and the task plan). */
    static final int KEEP_FINISHED = 2;

    private final ArrayDeque<String> finishedIds = new ArrayDeque<>();

    private final ServeOptions options;
    private final ConnectedAgents agents;
    private final Map<String, LiveRun> runs = new ConcurrentHashMap<>();
    /** Summaries of run logs, kept while the log's size and time are the same: the dashboard lists runs every second. */
    private final Map<Path, CachedSummary> summaries = new ConcurrentHashMap<>();

    private record CachedSummary(long size, long modified, RunSummary summary) {
    }
    private LiveRun current;

    RunManager(ServeOptions options, ConnectedAgents agents) {
        this.options = options;
        this.agents = agents;
    }

    /** Validates the request and starts the run; 400 for bad input, 409 while another run is going. */
    LiveRun start(RunRequest request) throws ApiException {
        Path file = playbookFile(request.playbook());
        Playbook book;
        Inventory inventory;
        List<String> limited = List.of();
        try {
            book = new PlaybookLoader().load(file, request.extraVars());
            inventory = !book.inventory().isEmpty()
                    ? InventoryLoader.fromPlaybook(book.inventory(), file.toAbsolutePath().getParent())
                    : options.inventory().get();
            if (request.limit() != null) {
                limited = HostPattern.select(request.limit(), inventory.groups(), inventory.names());
            }
        } catch (PlaybookException e) {
            throw new ApiException(400, Map.of("error", "the playbook has problems",
                    "problems", e.problems().stream().map(Object::toString).toList()));
        } catch (InventoryException | HostPatternException e) {
            throw new ApiException(400, e.getMessage());
        }
        Map<String, Set<String>> retryOnly = null;
        if (request.retryFailed()) {
            try {
                retryOnly = RetryFailed.hostsPerPlay(options.stateDir());
            } catch (IOException e) {
                throw new ApiException(500, "cannot read the state: " + e.getMessage());
            }
            if (retryOnly.isEmpty()) {
                throw new ApiException(422, "nothing to retry: no host failed its last run of a play");
            }
        }
        RunOptions runOptions = request.runOptions(options.stateDir(), options.controller().trustNewHosts(), false,
                retryOnly, options.controller().taskTimeoutSec());
        LiveRun run;
        synchronized (this) {
            if (current != null && !current.finished()) {
                throw new ApiException(409, Map.of("error", "a run is in progress: " + current.id(), "running", current.id()));
            }
            run = new LiveRun(RunLauncher.newRunId(), request, plan(book), limited);
            runs.put(run.id(), run);
            current = run;
        }
        Thread thread = new Thread(() -> execute(run, book, inventory, runOptions), "run-" + run.id());
        thread.setDaemon(true);
        thread.start();
        return run;
    }

    private void execute(LiveRun run, Playbook book, Inventory inventory, RunOptions runOptions) {
        String error = null;
        try {
            RunLauncher.run(agents, run.id(), book, inventory, runOptions, run, run.cancelSwitch());
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {} stopped: {}", run.id(), e.getMessage());
            error = e.getMessage() != null ? e.getMessage() : e.toString();
        } finally {
            run.finish(error);
            finished(run);
        }
    }

    /** Remembers that {@code run} finished, and forgets the oldest finished runs beyond {@link #KEEP_FINISHED}. */
    void finished(LiveRun run) {
        synchronized (finishedIds) {
            finishedIds.addLast(run.id());
            while (finishedIds.size() > KEEP_FINISHED) {
                runs.remove(finishedIds.removeFirst());
            }
        }
    }

    /** Runs held in memory, running or finished. */
    int inMemory() {
        return runs.size();
    }

    /**
     * Cancels a running run: no further task starts and the running ones are stopped on their hosts.
     *
     * @throws ApiException 404 for a run nobody knows, 409 for one that is over (or not this server's)
     */
    Map<String, Object> cancel(String id) throws ApiException, IOException {
        LiveRun live = runs.get(id);
        if (live == null) {
            if (logFile(id) == null) {
                throw new ApiException(404, "no run '" + id + "'");
            }
            throw new ApiException(409, Map.of("error", "run " + id + " is not running on this server: nothing to cancel",
                    "status", info(id).map(i -> i.get("status")).orElse("unknown")));
        }
        if (live.finished()) {
            throw new ApiException(409, Map.of("error", "run " + id + " has finished: nothing to cancel",
                    "status", live.info().get("status")));
        }
        live.cancelSwitch().cancel("cancelled through the API");
        return live.info();
    }

    /** A playbook name from a request, resolved under the playbooks directory and never outside it. */
    private Path playbookFile(String name) throws ApiException {
        if (name == null || name.isBlank()) {
            throw new ApiException(400, "/playbook: expected the file name of a playbook in " + options.playbooksDir());
        }
        Path root = options.playbooksDir().toAbsolutePath().normalize();
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root)) {
            throw new ApiException(400, "/playbook: '" + name + "' is outside the playbooks directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new ApiException(400, "/playbook: no playbook '" + name + "' in " + options.playbooksDir());
        }
        return file;
    }

    /** The tasks in the order a linear run meets them, keyed as the run's events key them. */
    private static List<Map<String, String>> plan(Playbook book) {
        List<Map<String, String>> tasks = new ArrayList<>();
        for (Play play : book.plays()) {
            for (Task task : play.tasks()) {
                Map<String, String> t = new LinkedHashMap<>();
                t.put("play", play.name());
                t.put("task", task.name());
                t.put("taskKey", TaskKey.of(book.name(), play.name(), task.name()).encoded());
                tasks.add(t);
            }
        }
        return tasks;
    }

    /** A run this server is running now (a finished one streams from its log, which has every line). */
    Optional<LiveRun> live(String id) {
        LiveRun run = runs.get(id);
        return run == null || run.finished() ? Optional.empty() : Optional.of(run);
    }

    /** Adds a run as if started (for tests of what the server keeps). */
    void adopt(LiveRun run) {
        runs.put(run.id(), run);
    }

    /** This server's runs and those only in the run logs, newest first. */
    List<Map<String, Object>> list() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Path log : RunSummary.logs(options.stateDir().resolve("runs"))) {
            String id = log.getFileName().toString().replace(".jsonl", "");
            LiveRun live = runs.get(id);
            all.add(live != null ? live.info() : LiveRun.info(summary(log)));
        }
        for (LiveRun live : runs.values()) {
            if (all.stream().noneMatch(r -> live.id().equals(r.get("id")))) {
                all.add(0, live.info());
            }
        }
        return all;
    }

    /** A run of this server, or one known from its log. */
    Optional<Map<String, Object>> info(String id) throws IOException {
        LiveRun live = runs.get(id);
        if (live != null) {
            return Optional.of(live.info());
        }
        Path log = logFile(id);
        return log == null ? Optional.empty() : Optional.of(LiveRun.info(summary(log)));
    }

    private RunSummary summary(Path log) throws IOException {
        long size = Files.size(log);
        long modified = Files.getLastModifiedTime(log).toMillis();
        CachedSummary cached = summaries.get(log);
        if (cached != null && cached.size() == size && cached.modified() == modified) {
            return cached.summary();
        }
        RunSummary summary = RunSummary.read(log);
        summaries.put(log, new CachedSummary(size, modified, summary));
        return summary;
    }

    /** The log of run {@code id}; null when there is none (or the id is not a plain name). */
    Path logFile(String id) {
        if (!id.matches("[0-9A-Za-z._-]+")) {
            return null;
        }
        Path log = options.stateDir().resolve("runs").resolve(id + ".jsonl");
        return Files.isRegularFile(log) ? log : null;
    }
}
