package dev.rigger.agent.exec;

import dev.rigger.protocol.TaskOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion, streaming each output line to a sink while keeping the whole text.
 * A deadline (or an interrupt of the calling thread) kills the command and everything it started,
 * including children it left behind when their parent exited (see {@link ProcessTree}).
 */
public final class CommandRunner {
    /** Output beyond this is still streamed but no longer kept, so one chatty command cannot exhaust memory. */
    static final int MAX_KEPT_CHARS = 1 << 20;
    static final long PUMP_GRACE_MS = 2000;

    private CommandRunner() {
    }

    /** Runs a read-only probe (blkid, dpkg-query, ...) with no streaming and a generous deadline. */
    public static CommandOutcome probe(String... argv) {
        return run(CommandSpec.of(argv), OutputSink.DISCARD, Instant.now().plus(Duration.ofSeconds(60)));
    }

    public static CommandOutcome run(CommandSpec spec, OutputSink sink, Instant deadline) {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(spec.argv());
        pb.environment().putAll(spec.env());
        ProcessTree tree = new ProcessTree();
        tree.mark(pb);
        if (spec.chdir() != null) {
            pb.directory(new java.io.File(spec.chdir()));
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            // a missing binary is a result, not a crash: the module reports it like any failed command
            return new CommandOutcome(127, "", "cannot run " + spec.argv().get(0) + ": " + e.getMessage(), 0);
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread outPump = pump(process.getInputStream(), TaskOutput.Stream.stdout, out, sink);
        Thread errPump = pump(process.getErrorStream(), TaskOutput.Stream.stderr, err, sink);
        feedStdin(process, spec.stdin());
        try {
            long waitMs = deadline == null ? Long.MAX_VALUE : Duration.between(Instant.now(), deadline).toMillis();
            if (waitMs <= 0 || !process.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
                tree.kill(process);
                throw new CommandTimeoutException(String.join(" ", spec.argv()) + " ran past its deadline and was killed");
            }
            // a background child (cmd: "daemon &") can hold the pipes open for ever: the command is over
            // when its process is, so the rest of its output gets a short grace period, not a wait
            outPump.join(PUMP_GRACE_MS);
            errPump.join(PUMP_GRACE_MS);
        } catch (InterruptedException e) {
            tree.kill(process);
            Thread.currentThread().interrupt();
            throw new CommandTimeoutException(String.join(" ", spec.argv()) + " was interrupted and killed");
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        synchronized (out) {
            synchronized (err) {
                return new CommandOutcome(process.exitValue(), out.toString(), err.toString(), took);
            }
        }
    }

    private static void feedStdin(Process process, String stdin) {
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the command exited without reading its stdin; its exit code tells the story
        }
    }

    private static Thread pump(InputStream stream, TaskOutput.Stream which, StringBuilder kept, OutputSink sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (kept) {
                        if (kept.length() < MAX_KEPT_CHARS) {
                            kept.append(line).append('\n');
                        }
                    }
                    sink.line(which, line);
                }
            } catch (IOException e) {
                // the process was killed while we read: what was read is kept
            } catch (UncheckedIOException e) {
                // the sink could not forward a line (bridge gone); keep draining is pointless
            }
        }, "cmd-" + which);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
