package dev.rigger.agent.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The threads facts are gathered on. Threads are made on demand and kept a minute for the next gather;
 * daemons, so one stuck in the kernel (statvfs on a dead NFS mount) never keeps the agent from exiting.
 * How many exist is bounded by their users: a collector or mount that is stuck is not started again.
 */
final class FactsThreads {
    static final ExecutorService POOL = daemonPool();
    /** Commands run side by side at most this many at a time: enough to hide fork latency on a small host. */
    static final int MAX_LANES = 4;

    private FactsThreads() {
    }

    /**
     * {@code f} of every input, in input order, computed in up to {@link #MAX_LANES} lanes of which the
     * calling thread is one. {@code f} must bound its own time (a command deadline).
     */
    static <T, R> List<R> inLanes(List<T> inputs, Function<T, R> f) {
        int lanes = Math.min(MAX_LANES, inputs.size());
        List<R> results = new ArrayList<>(inputs.size());
        inputs.forEach(i -> results.add(null));
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (int lane = 1; lane < lanes; lane++) {
            int l = lane;
            others.add(CompletableFuture.runAsync(() -> runLane(inputs, f, results, l, lanes), POOL));
        }
        runLane(inputs, f, results, 0, Math.max(1, lanes));
        others.forEach(CompletableFuture::join);
        return results;
    }

    private static <T, R> void runLane(List<T> inputs, Function<T, R> f, List<R> results, int lane, int lanes) {
        for (int i = lane; i < inputs.size(); i += lanes) {
            R r = f.apply(inputs.get(i));
            synchronized (results) {
                results.set(i, r);
            }
        }
    }

    private static ExecutorService daemonPool() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "facts-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
