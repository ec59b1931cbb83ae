package dev.rigger.agent.modules.service;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.exec.OutputSink;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import dev.rigger.protocol.TaskOutput;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a daemon directly, detached from the agent: its own session (setsid), stdin from /dev/null and
 * its output appended to the log file (or dropped). It counts as started when it still runs a second
 * later and, with a ready command, once that command succeeds. A daemon that never gets ready is
 * stopped again, so that the next run does not take it for a working one.
 */
final class StartDaemonStep implements Step {
    static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(500);

    private final List<String> daemon;
    private final Path logFile;
    private final List<String> readyCommand;
    private final Duration readyTimeout;
    private volatile Long startedPid;

    StartDaemonStep(List<String> daemon, Path logFile, List<String> readyCommand, Duration readyTimeout) {
        this.daemon = List.copyOf(daemon);
        this.logFile = logFile;
        this.readyCommand = readyCommand == null ? null : List.copyOf(readyCommand);
        this.readyTimeout = readyTimeout;
    }

    @Override
    public String description() {
        return "start " + String.join(" ", daemon) + " detached" + (logFile == null ? "" : ", output to " + logFile);
    }

    @Override
    public List<String> argv() {
        return command();
    }

    /** The pid of the started daemon once applied, else null. */
    Long startedPid() {
        return startedPid;
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        long start = System.nanoTime();
        String program = DaemonProcesses.fileName(daemon.get(0));
        Process process;
        try {
            process = processBuilder().start();
        } catch (IOException e) {
            throw failed("cannot start " + program + ": " + e.getMessage(), start);
        }
        long pid = process.pid();
        try {
            if (process.waitFor(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw failed(program + " exited with " + process.exitValue() + " within " + SETTLE.toSeconds()
                        + " s of starting" + logTail(), start);
            }
            if (readyCommand != null) {
                awaitReady(process, program, ctx, start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            throw failed("interrupted while starting " + program + "; stopped it again", start);
        }
        startedPid = pid;
        ctx.output().line(TaskOutput.Stream.stdout, "started " + program + " (pid " + pid + ")");
        return new StepResult(description(), command(), 0, "pid " + pid + "\n", "", since(start));
    }

    private void awaitReady(Process process, String program, StepContext ctx, long start)
            throws StepFailedException, InterruptedException {
        Instant until = Instant.now().plus(readyTimeout);
        if (ctx.deadline() != null && ctx.deadline().isBefore(until)) {
            until = ctx.deadline();
        }
        CommandOutcome last = null;
        while (true) {
            if (!process.isAlive()) {
                throw failed(program + " exited with " + process.exitValue() + " before "
                        + String.join(" ", readyCommand) + " succeeded" + logTail(), start);
            }
            Instant now = Instant.now();
            if (now.isAfter(until)) {
                break;
            }
            // each try gets at most the time left, so a hanging ready command cannot outlast the timeout
            last = CommandRunner.run(CommandSpec.of(readyCommand), OutputSink.DISCARD, until);
            if (last.ok()) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
        stop(process);
        String said = last == null ? "" : ": " + last.summary();
        throw failed(program + " (pid " + process.pid() + ") started, but " + String.join(" ", readyCommand)
                + " did not succeed within " + readyTimeout.toSeconds() + " s" + said + "; stopped it again" + logTail(), start);
    }

    private ProcessBuilder processBuilder() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (logFile != null) {
            if (logFile.getParent() != null) {
                Files.createDirectories(logFile.getParent());
            }
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            pb.redirectErrorStream(true);
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        return pb;
    }

    /** setsid puts the daemon in a session of its own, so the agent's end (or its ssh session's) does not hang it up. */
    private List<String> command() {
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.addAll(daemon);
        return argv;
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        if (logFile == null || !Files.isReadable(logFile)) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(logFile).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                return "";
            }
            List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
            return "; " + logFile + " ends: " + String.join(" | ", tail);
        } catch (IOException e) {
            return "";
        }
    }

    private StepFailedException failed(String msg, long start) {
        return new StepFailedException(msg, new StepResult(description(), command(), 1, "", msg, since(start)));
    }

    private static long since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
