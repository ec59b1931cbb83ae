package dev.rigger.controller.cli;

import dev.rigger.controller.Controller;
import dev.rigger.controller.events.ConsoleReporter;
import dev.rigger.controller.events.JsonLinesReporter;
import dev.rigger.controller.events.RunListener;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.controller.run.RunLauncher;
import dev.rigger.controller.run.RunOptions;
import dev.rigger.controller.run.RunReport;
import dev.rigger.controller.serve.RunRequest;
import dev.rigger.controller.serve.ServeClient;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.controller.state.RetryFailed;
import dev.rigger.playbook.HostPattern;
import dev.rigger.playbook.HostPatternException;
import dev.rigger.playbook.Playbook;
import dev.rigger.playbook.PlaybookException;
import dev.rigger.playbook.PlaybookLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rigger play PLAYBOOK}: validate everything first, then connect and run. */
@Command(name = "play", description = "Run a playbook.", mixinStandardHelpOptions = true)
final class PlayCommand implements Callable<Integer>, StateCommand {
    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "playbook JSON file")
    Path playbook;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "only these hosts: name, group, glob, a:b, !name")
    String limit;

    @Option(names = {"-C", "--check"}, description = "plan only: report what would change, change nothing")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "show before/after of what changes")
    boolean diff;

    @Option(names = {"-f", "--forks"}, paramLabel = "N", description = "hosts worked on at once (overrides each play's forks)")
    Integer forks;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "key=value|@file.json", description = "variables that override the playbook's")
    List<String> extraVars = new ArrayList<>();

    @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAG", description = "only tasks with one of these tags")
    Set<String> tags = new HashSet<>();

    @Option(names = "--skip-tags", split = ",", paramLabel = "TAG", description = "no task with one of these tags")
    Set<String> skipTags = new HashSet<>();

    @Option(names = "--retry-failed", description = "run each play only on the hosts whose last run of it failed")
    boolean retryFailed;

    @Option(names = "--no-serve", description = "run here even when a `rigger serve` of this state directory could run it")
    boolean noServe;

    @Option(names = "--json", description = "print the run's events as they happen, one JSON object a line, instead of the console view")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Path stateDir() {
        return common.stateDir;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        Playbook book;
        Inventory inventory;
        Map<String, Object> vars;
        try {
            if (forks != null && forks < 1) {
                throw new BadInputException("--forks: expected a number of at least 1, got " + forks);
            }
            vars = ExtraVars.parse(extraVars);
            limit = HostLists.expand(limit);
            book = new PlaybookLoader().load(playbook, vars);
            ExtraVars.secretsOnTheCommandLine(extraVars, book.maskVars())
                    .forEach(name -> err.println(ExtraVars.secretWarning(name)));
            inventory = !book.inventory().isEmpty() && common.inventory == null
                    ? InventoryLoader.fromPlaybook(book.inventory(), playbook.toAbsolutePath().getParent())
                    : common.inventory();
            if (limit != null) {
                HostPattern.select(limit, inventory.groups(), inventory.names());
            }
            // a corrupt state is refused before any host is contacted, even when the playbook brings its inventory
            JsonFileStateStore.checkUsable(common.stateDir);
        } catch (PlaybookException e) {
            e.problems().forEach(p -> err.println(p));
            return RiggerCli.BAD_INPUT;
        } catch (BadInputException | InventoryException | HostPatternException | IOException e) {
            err.println("rigger: " + e.getMessage());
            return RiggerCli.BAD_INPUT;
        }

        Map<String, Set<String>> retryOnly = null;
        if (retryFailed) {
            retryOnly = RetryFailed.hostsPerPlay(common.stateDir);
            if (retryOnly.isEmpty()) {
                System.out.println("nothing to retry: no host failed its last run of a play (" + common.stateDir + ")");
                return RiggerCli.OK;
            }
        }
        String runId = RunLauncher.newRunId();
        RunRequest request = new RunRequest(playbook.toString(), limit, check, vars, List.copyOf(tags),
                List.copyOf(skipTags), diff, forks, retryFailed);
        RunOptions options = request.runOptions(common.stateDir, common.trustNewHosts, common.verbose, retryOnly,
                common.taskTimeoutSec);
        RunListener output = json ? new JsonLinesReporter(System.out) : new ConsoleReporter(System.out, common.verbose, diff);
        if (!noServe) {
            Optional<ServeClient> serve;
            try {
                serve = ServeClient.find(common.stateDir);
            } catch (ServeClient.UnprovenServerException e) {
                // no silent local run: the user believes a server runs, and what answers there is not it
                err.println("rigger: " + e.getMessage() + ". --no-serve runs here without asking a server.");
                return RiggerCli.BAD_INPUT;
            }
            var name = serve.flatMap(c -> c.playbookName(playbook, common.inventoryId()));
            if (name.isPresent()) {
                err.println("rigger: running through rigger serve at " + serve.get().url()
                        + " (its agents are attached; --no-serve runs here)");
                return new ServedPlay(serve.get(), err).run(request.withPlaybook(name.get()), output);
            }
        }
        try (Controller controller = Controller.start(common.controllerOptions())) {
            RunReport report = RunLauncher.run(controller.connector(), runId, book, inventory, options, output);
            return report.exitCode();
        }
    }
}
