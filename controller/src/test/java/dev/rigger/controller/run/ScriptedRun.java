package dev.rigger.controller.run;

import dev.rigger.controller.events.HostRecap;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.playbook.Playbook;
import dev.rigger.playbook.PlaybookException;
import dev.rigger.playbook.PlaybookLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One run of a playbook through the real executor against {@link ScriptedConnector}'s in-memory hosts,
 * and what it reported: its events, in order, and its report.
 */
final class ScriptedRun {
    final List<RunEvent> events;
    final RunReport report;

    private ScriptedRun(List<RunEvent> events, RunReport report) {
        this.events = events;
        this.report = report;
    }

    /** A playbook of one play over {@code hosts} with these play fields and tasks (JSON). */
    static Playbook play(String hosts, String playFields, String... tasks) {
        return playbook("""
                {"name": "book", "plays": [{"name": "play", "hosts": "%s", %s "tasks": [%s]}]}"""
                .formatted(hosts, playFields.isEmpty() ? "" : playFields + ",", String.join(",", tasks)));
    }

    /** A {@code command} task named and running {@code cmd}, with more task fields (JSON, may be empty). */
    static String task(String cmd, String fields) {
        return """
                {"name": "%s", "module": "command", "args": {"cmd": "%s"}%s}"""
                .formatted(cmd, cmd, fields.isEmpty() ? "" : ", " + fields);
    }

    static String task(String cmd) {
        return task(cmd, "");
    }

    static Playbook playbook(String json) {
        try {
            return new PlaybookLoader().load(json, "book.json", Map.of());
        } catch (PlaybookException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static Inventory hosts(String... names) {
        return new Inventory(Arrays.stream(names).map(n -> new InventoryHost(n, "10.0.0." + (n.hashCode() & 0xff), 22,
                "rigger", null, List.of(), List.of(), Map.of())).toList());
    }

    static RunOptions options() {
        return options(null, Set.of(), Set.of(), null);
    }

    static RunOptions options(Integer forks, Set<String> tags, Set<String> skipTags, Map<String, Set<String>> retryOnly) {
        return options(forks, tags, skipTags, retryOnly, null);
    }

    static RunOptions options(Integer forks, Set<String> tags, Set<String> skipTags, Map<String, Set<String>> retryOnly,
                              Path stateDir) {
        return new RunOptions(null, false, false, forks, Map.of(), false, stateDir, false, tags, skipTags, retryOnly);
    }

    static ScriptedRun run(ScriptedConnector connector, Playbook book, Inventory inventory, RunOptions options) {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunReport report = new PlaybookExecutor(connector, options, events::add, null).run("run-1", book, inventory);
        return new ScriptedRun(List.copyOf(events), report);
    }

    /** As {@link #run}, through {@link RunLauncher}: the run is recorded in {@code options.stateDir()}. */
    static ScriptedRun launch(ScriptedConnector connector, Playbook book, Inventory inventory, RunOptions options)
            throws IOException {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunReport report = RunLauncher.run(connector, RunLauncher.newRunId(), book, inventory, options, events::add);
        return new ScriptedRun(List.copyOf(events), report);
    }

    HostRecap recap(String host) {
        return report.recap().getOrDefault(host, HostRecap.EMPTY);
    }

    <E extends RunEvent> List<E> events(Class<E> type) {
        List<E> found = new ArrayList<>();
        events.stream().filter(type::isInstance).map(type::cast).forEach(found::add);
        return found;
    }

    /** "host task" of each finished task, in the order they finished, loop items included. */
    List<String> finished() {
        return events(RunEvent.TaskFinished.class).stream().map(f -> f.host() + " " + f.task()).toList();
    }

    /** The result of {@code task} on {@code host}; the loop's summary when it looped. */
    RunEvent.TaskFinished result(String host, String task) {
        List<RunEvent.TaskFinished> found = events(RunEvent.TaskFinished.class).stream()
                .filter(f -> f.host().equals(host) && f.task().equals(task)).toList();
        if (found.isEmpty()) {
            throw new AssertionError(task + " did not finish on " + host + "; events: " + events);
        }
        return found.get(found.size() - 1);
    }
}
