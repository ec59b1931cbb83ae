package dev.rigger.agent.facts;

import dev.rigger.protocol.facts.CollectorStatus;
import dev.rigger.protocol.facts.HostFacts;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gathers {@link HostFacts}: the collectors ({@link HostFacts#COLLECTORS}) run side by side on a small
 * pool of daemon threads, each under its own deadline, so the gather takes as long as its slowest
 * collector and never longer than the largest deadline. A collector past its deadline is marked
 * {@code timedOut} and its fields left empty; the others' facts are kept. Read-only: it runs only
 * probes ({@code blkid -p}, {@code ip -j addr}, {@code getconf}, {@code hostname -f}) and reads /proc,
 * /sys, /dev and /etc.
 *
 * <p>A collector stuck in the kernel (statvfs on a dead NFS mount, a read of a FIFO) cannot be
 * interrupted. Its thread is left behind, and until it returns later gathers report that collector
 * {@code timedOut} at once rather than start it again, so threads do not pile up on it.
 */
public final class FactsCollector {
    /** The slack a collector gets to return what it found after the commands it runs were killed. */
    private static final Duration MAX_SLACK = Duration.ofMillis(200);
    private static final ExecutorService POOL = FactsThreads.POOL;
    private static final FactsCollector SHARED = new FactsCollector(FactsOptions.defaults());

    private final FactsOptions options;
    private final Map<String, FactGatherer> gatherers;
    /** collector → its run that passed its deadline and has not returned since */
    private final Map<String, Running> stuck = new ConcurrentHashMap<>();

    public FactsCollector(FactsOptions options) {
        this(options, Map.of());
    }

    /** With some collectors' bodies replaced: the seam tests use to put a collector that hangs in place. */
    FactsCollector(FactsOptions options, Map<String, FactGatherer> replacements) {
        this.options = options;
        MountSizeProbe sizes = new MountSizeProbe(POOL, options.statvfsTimeout(), MountSizeProbe::statvfs);
        Map<String, FactGatherer> g = new LinkedHashMap<>(FactGatherers.standard(sizes));
        replacements.forEach((name, body) -> {
            if (g.replace(name, body) == null) {
                throw new IllegalArgumentException("no facts collector named " + name);
            }
        });
        this.gatherers = g;
    }

    /** The facts of this host with the default deadlines; collectors stuck earlier are shared by all callers. */
    public static HostFacts collect() {
        return SHARED.gather();
    }

    public HostFacts gather() {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        Map<String, CollectorStatus> statuses = new HashMap<>();
        Map<String, Running> running = new LinkedHashMap<>();
        gatherers.forEach((name, body) -> {
            Running earlier = stuck.get(name);
            if (earlier != null && !earlier.returned()) {
                statuses.put(name, CollectorStatus.timedOut(0, name + " is still blocked in the gather of "
                        + earlier.startedAt + "; not started again"));
                return;
            }
            stuck.remove(name, earlier);
            Duration timeout = options.timeoutOf(name);
            Instant deadline = startedAt.plus(timeout).minus(slack(timeout));
            running.put(name, Running.start(POOL, startedAt, () -> body.gather(deadline)));
        });

        FactsDraft draft = new FactsDraft();
        boolean interrupted = false;
        for (Map.Entry<String, Running> e : running.entrySet()) {
            String name = e.getKey();
            Running run = e.getValue();
            long timeoutNanos = options.timeoutOf(name).toNanos();
            try {
                long left = interrupted ? 0 : start + timeoutNanos - System.nanoTime();
                Gathered g = run.future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                g.fill().accept(draft);
                long took = run.tookMs();
                statuses.put(name, g.missing() == null
                        ? CollectorStatus.ok(took) : CollectorStatus.partial(took, g.missing()));
            } catch (TimeoutException ex) {
                run.abandon();
                if (!interrupted) {
                    // only a run that had its full time counts as stuck; one cut short by an interrupt is not
                    stuck.put(name, run);
                }
                statuses.put(name, CollectorStatus.timedOut(elapsedMs(start), interrupted
                        ? name + " was abandoned: the gather was interrupted"
                        : name + " did not finish within " + options.timeoutOf(name).toMillis() + " ms"));
            } catch (InterruptedException ex) {
                interrupted = true;
                run.abandon();
                statuses.put(name, CollectorStatus.timedOut(elapsedMs(start),
                        name + " was abandoned: the gather was interrupted"));
            } catch (ExecutionException ex) {
                statuses.put(name, CollectorStatus.failed(run.tookMs(), name + ": " + describe(ex.getCause())));
            } catch (RuntimeException ex) {
                statuses.put(name, CollectorStatus.failed(run.tookMs(), name + ": " + describe(ex)));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Map<String, CollectorStatus> ordered = new LinkedHashMap<>();
        gatherers.keySet().forEach(name -> ordered.put(name, statuses.get(name)));
        return draft.build(startedAt.truncatedTo(ChronoUnit.MILLIS).toString(), ordered);
    }

    private static Duration slack(Duration timeout) {
        Duration tenth = timeout.dividedBy(10);
        return tenth.compareTo(MAX_SLACK) < 0 ? tenth : MAX_SLACK;
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** One collector's run: a cancelled future does not mean its thread has returned, so that is kept apart. */
    private static final class Running {
        final Instant startedAt;
        final CompletableFuture<Gathered> future = new CompletableFuture<>();
        private final long startNanos = System.nanoTime();
        private long endNanos;
        private Thread thread;
        private boolean returned;

        private Running(Instant startedAt) {
            this.startedAt = startedAt;
        }

        static Running start(ExecutorService pool, Instant startedAt, Callable<Gathered> body) {
            Running r = new Running(startedAt);
            pool.execute(() -> r.run(body));
            return r;
        }

        private void run(Callable<Gathered> body) {
            synchronized (this) {
                thread = Thread.currentThread();
            }
            try {
                future.complete(body.call());
            } catch (Exception | LinkageError e) {
                future.completeExceptionally(e);
            } finally {
                synchronized (this) {
                    returned = true;
                    thread = null;
                    endNanos = System.nanoTime();
                }
                Thread.interrupted();   // an abandon that came too late must not reach the pool's next task
            }
        }

        /** Interrupts the run if it is still going: that kills the commands it runs, nothing more. */
        synchronized void abandon() {
            if (!returned && thread != null) {
                thread.interrupt();
            }
        }

        synchronized boolean returned() {
            return returned;
        }

        synchronized long tookMs() {
            return ((returned ? endNanos : System.nanoTime()) - startNanos) / 1_000_000;
        }
    }
}
