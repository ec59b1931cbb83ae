package dev.rigger.agent.modules.service;

import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Stops a daemon's processes with SIGTERM and waits for them to end. It does not escalate to SIGKILL:
 * a daemon like dockerd that is still shutting down its containers is better reported than killed.
 */
final class StopDaemonStep implements Step {
    static final Duration GRACE = Duration.ofSeconds(30);
    private static final long POLL_MS = 200;

    private final String program;
    private final List<Long> pids;

    StopDaemonStep(String program, List<Long> pids) {
        this.program = program;
        this.pids = List.copyOf(pids);
    }

    @Override
    public String description() {
        return "send SIGTERM to " + program + " (pid " + joined() + ") and wait for it to end";
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        long start = System.nanoTime();
        for (long pid : pids) {
            // destroy() is SIGTERM on Linux; the handle checks the start time, so a reused pid is not hit
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        Instant until = Instant.now().plus(GRACE);
        if (ctx.deadline() != null && ctx.deadline().isBefore(until)) {
            until = ctx.deadline();
        }
        List<Long> left = pids;
        while (true) {
            left = left.stream().filter(DaemonProcesses::alive).toList();
            if (left.isEmpty() || Instant.now().isAfter(until)) {
                break;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        if (!left.isEmpty()) {
            String msg = program + " (pid " + left.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
                    + ") still runs " + took / 1000 + " s after SIGTERM";
            throw new StepFailedException(msg, new StepResult(description(), List.of(), 1, "", msg, took));
        }
        return new StepResult(description(), List.of(), 0, "stopped pid " + joined() + "\n", "", took);
    }

    private String joined() {
        return String.join(", ", pids.stream().map(String::valueOf).toList());
    }
}
