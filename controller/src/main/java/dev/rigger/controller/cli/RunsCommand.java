package dev.rigger.controller.cli;

import dev.rigger.controller.events.ConsoleReporter;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.events.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rigger runs [RUN_ID]}: the runs recorded in the state directory; with a run id, that run's
 * PLAY RECAP rebuilt from its event log alone.
 */
@Command(name = "runs", description = "List past runs, or show one run's recap rebuilt from its event log.",
        mixinStandardHelpOptions = true)
final class RunsCommand implements Callable<Integer>, StateCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_ID", description = "a run id, or 'last'")
    String runId;

    @Option(names = "--state", description = "state directory (default: ${DEFAULT-VALUE})", defaultValue = ".rigger")
    Path stateDir;

    @Override
    public Path stateDir() {
        return stateDir;
    }

    @Override
    public Integer call() throws Exception {
        Path runsDir = stateDir.resolve("runs");
        List<Path> logs = RunSummary.logs(runsDir);
        if (runId == null) {
            System.out.printf("%-22s %-8s %-6s %s%n", "RUN", "STATUS", "CHECK", "PLAYBOOK");
            for (Path log : logs) {
                RunSummary s = RunSummary.read(log);
                System.out.printf("%-22s %-8s %-6s %s%n", s.id(), s.status(), s.check() ? "yes" : "no", s.playbook());
            }
            return RiggerCli.OK;
        }
        Path log = "last".equals(runId) && !logs.isEmpty() ? logs.get(0) : runsDir.resolve(runId + ".jsonl");
        if (runId.contains("/") || !Files.isRegularFile(log)) {
            System.err.println("rigger: no run '" + runId + "' in " + runsDir);
            return RiggerCli.BAD_INPUT;
        }
        RunSummary s = RunSummary.read(log);
        System.out.println("run " + s.id() + " " + s.playbook() + ": " + s.status()
                + (s.startedAt() > 0 ? ", started " + Instant.ofEpochMilli(s.startedAt()) : ""));
        new ConsoleReporter(System.out, false, false).on(new RunEvent.RunFinished(s.finishedAt() == null ? 0 : s.finishedAt(),
                s.id(), s.recap(), s.tookMs()));
        return RiggerCli.OK;
    }
}
