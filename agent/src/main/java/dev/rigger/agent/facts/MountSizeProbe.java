package dev.rigger.agent.facts;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * statvfs of every mountpoint, each call bounded. One worker thread walks the mountpoints in turn (one
 * thread hand-off for the lot); when a call outlives its bound (a dead NFS server keeps it in the
 * kernel, beyond the reach of an interrupt) that mountpoint is given up, its worker left behind, and
 * a fresh worker takes the rest. A mountpoint still stuck from an earlier gather is skipped at once,
 * so repeated gathers neither wait again nor pile up threads on it.
 */
final class MountSizeProbe {
    /** The statvfs(3) of one path, in bytes. */
    @FunctionalInterface
    interface StatFs {
        MountSizes stat(String mountpoint) throws IOException;
    }

    /** What df -B1 shows for a mount: size, avail and used. */
    record MountSizes(long sizeBytes, long availableBytes, long usedBytes) {
    }

    /** The sizes found (a mountpoint without sizes is absent) and, per mountpoint given up, why. */
    record Result(Map<String, MountSizes> sizes, Map<String, String> givenUp) {
    }

    private static final MountSizes TIMED_OUT = new MountSizes(-1, -1, -1);
    private static final MountSizes STILL_BLOCKED = new MountSizes(-2, -2, -2);
    private static final MountSizes UNKNOWN = new MountSizes(-3, -3, -3);

    private final ExecutorService pool;
    private final Duration perMount;
    private final StatFs statFs;
    /** mountpoint → System.nanoTime() its statvfs began, for every call not yet returned, across gathers */
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();

    MountSizeProbe(ExecutorService pool, Duration perMount, StatFs statFs) {
        this.pool = pool;
        this.perMount = perMount;
        this.statFs = statFs;
    }

    /** The JDK's FileStore is statvfs: total = f_blocks, unallocated = f_bfree, usable = f_bavail (× f_frsize). */
    static MountSizes statvfs(String mountpoint) throws IOException {
        FileStore store = Files.getFileStore(Path.of(mountpoint));
        long total = store.getTotalSpace();
        return new MountSizes(total, store.getUsableSpace(), total - store.getUnallocatedSpace());
    }

    Result probe(List<String> mountpoints, Instant deadline) throws InterruptedException {
        List<String> paths = mountpoints.stream().distinct().toList();
        if (paths.isEmpty()) {
            return new Result(Map.of(), Map.of());
        }
        Run run = new Run(paths);
        long perMountNanos = perMount.toNanos();
        long deadlineNanos = System.nanoTime() + Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        Worker worker = run.startWorker();
        int remaining = paths.size();
        while (remaining > 0) {
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                break;
            }
            Current current = worker.current.get();
            long stuckAt = current == null ? now + perMountNanos : current.startedNanos + perMountNanos;
            Integer done = run.done.poll(Math.max(1, Math.min(deadlineNanos, stuckAt) - now), TimeUnit.NANOSECONDS);
            if (done != null) {
                remaining--;
                continue;
            }
            current = worker.current.get();
            if (current != null && System.nanoTime() - current.startedNanos >= perMountNanos) {
                if (run.results.compareAndSet(current.index, null, TIMED_OUT)) {
                    remaining--;
                }
                worker = run.startWorker();
            }
        }
        return run.result();
    }

    private record Current(int index, long startedNanos) {
    }

    /** One probe of a list of mountpoints, shared by its workers. */
    private final class Run {
        final List<String> paths;
        final AtomicReferenceArray<MountSizes> results;
        final AtomicInteger next = new AtomicInteger();
        final LinkedBlockingQueue<Integer> done = new LinkedBlockingQueue<>();

        Run(List<String> paths) {
            this.paths = paths;
            this.results = new AtomicReferenceArray<>(paths.size());
        }

        Worker startWorker() {
            Worker w = new Worker(this);
            pool.execute(w);
            return w;
        }

        Result result() {
            Map<String, MountSizes> sizes = new LinkedHashMap<>();
            Map<String, String> givenUp = new LinkedHashMap<>();
            List<String> unfinished = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                MountSizes s = results.get(i);
                String path = paths.get(i);
                if (s == TIMED_OUT) {
                    givenUp.put(path, "statvfs " + path + " did not return within " + perMount.toMillis() + " ms");
                } else if (s == STILL_BLOCKED) {
                    givenUp.put(path, "statvfs " + path + " has been blocked since an earlier gather");
                } else if (s == null) {
                    unfinished.add(path);
                } else if (s != UNKNOWN) {
                    sizes.put(path, s);
                }
            }
            unfinished.forEach(p -> givenUp.put(p, "statvfs " + p + " had not returned by the mounts deadline"));
            return new Result(sizes, givenUp);
        }
    }

    private final class Worker implements Runnable {
        final Run run;
        final AtomicReference<Current> current = new AtomicReference<>();

        Worker(Run run) {
            this.run = run;
        }

        @Override
        public void run() {
            int i;
            while ((i = run.next.getAndIncrement()) < run.paths.size()) {
                String path = run.paths.get(i);
                long now = System.nanoTime();
                Long busySince = inFlight.get(path);
                MountSizes sizes;
                if (busySince != null && now - busySince >= perMount.toNanos()) {
                    sizes = STILL_BLOCKED;   // an earlier call on it has not returned yet: do not queue behind it
                } else {
                    current.set(new Current(i, now));
                    sizes = statOrUnknown(path, now);
                    current.set(null);
                }
                if (run.results.compareAndSet(i, null, sizes)) {
                    run.done.add(i);
                }
            }
        }

        private MountSizes statOrUnknown(String path, long started) {
            inFlight.put(path, started);
            try {
                return statFs.stat(path);
            } catch (IOException | RuntimeException e) {
                // not ours to read (a bind-mounted socket, a FUSE mount of another user): sizes unknown
                return UNKNOWN;
            } finally {
                inFlight.remove(path, started);
            }
        }
    }
}
