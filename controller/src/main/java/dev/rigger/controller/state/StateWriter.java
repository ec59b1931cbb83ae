package dev.rigger.controller.state;

import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes a store's snapshots to its file on a thread of its own, at most one write per interval, so that a
 * run's hosts never queue behind the disk: rewriting and fsyncing the whole state after each of a run's
 * results serialised every host on one lock (a quarter of the controller's CPU at 50 hosts).
 *
 * <p>Every write is still atomic (temp file, fsync, rename), so a kill leaves the last snapshot written: at
 * most one interval of results older than the run. The next run repeats those tasks, and they report ok.
 * Snapshots carry the store's change count and an older one never replaces a newer one on disk.
 */
final class StateWriter {
    /** What is written: the store's content and how many changes it holds. */
    record Snapshot(long version, byte[] content) {
    }

    /** Takes a snapshot; the store's own lock keeps it consistent. */
    interface Source {
        Snapshot snapshot() throws IOException;
    }

    private final Path file;
    private final Source source;
    private final long intervalMs;
    private final ScheduledExecutorService thread;
    private final Object writeLock = new Object();
    /** The version on disk; a store starts from what it read, version 0. */
    private long written;
    private long lastWriteAt;
    private boolean scheduled;
    private IOException failure;

    StateWriter(Path file, Source source, long intervalMs) {
        this.file = file;
        this.source = source;
        this.intervalMs = intervalMs;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rigger-state-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks for a write soon; throws when the last write in the background failed (the next one may not). */
    synchronized void request() throws IOException {
        rethrow();
        if (!scheduled && !thread.isShutdown()) {
            scheduled = true;
            long delay = Math.max(0, lastWriteAt + intervalMs - System.currentTimeMillis());
            thread.schedule(this::writeInBackground, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the store's content now, in the caller's thread; whatever failed before, this write is tried. */
    void writeNow() throws IOException {
        write(source.snapshot());
        synchronized (this) {
            failure = null;
        }
    }

    /**
     * Lets a write in progress finish (an interrupt would break its file channel), then writes what is
     * pending and stops the thread.
     */
    void close() throws IOException {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeNow();
    }

    private void writeInBackground() {
        synchronized (this) {
            scheduled = false;
            lastWriteAt = System.currentTimeMillis();
        }
        try {
            write(source.snapshot());
            synchronized (this) {
                failure = null;
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
            }
        }
    }

    private void write(Snapshot snapshot) throws IOException {
        synchronized (writeLock) {
            if (snapshot.version() <= written) {
                return;
            }
            AtomicFiles.write(file, snapshot.content(), PosixFilePermissions.fromString("rw-------"));
            written = snapshot.version();
        }
    }

    private void rethrow() throws IOException {
        if (failure != null) {
            throw new IOException("cannot write " + file + ": " + failure.getMessage(), failure);
        }
    }
}
