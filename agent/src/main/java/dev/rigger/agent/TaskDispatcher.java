package dev.rigger.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.modules.ModuleRunner;
import dev.rigger.agent.modules.TaskOptions;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.TaskOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs incoming tasks on a small worker pool. Tasks whose {@code args.device} names the same device run
 * one after another, in arrival order (two mkfs on one disk must not race); all others run in parallel.
 */
public final class TaskDispatcher implements AutoCloseable {
    /** Where a task's output lines and its result go (the bridge, in the agent). */
    public interface Listener {
        void output(RunTask task, TaskOutput.Stream stream, String line);

        void result(RunTask task, ModuleResult result);
    }

    /** Modules that name no device, or read one without changing it, never wait for each other. */
    private static final Set<String> UNSERIALISED = Set.of("disk", "facts");

    /** How long closing waits for interrupted tasks to kill their commands. */
    private static final int STOP_WAIT_SEC = 5;

    private final ModuleRunner runner;
    private final Listener listener;
    private final ExecutorService pool;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    /** Task id -> the thread running it, so that a cancel can interrupt it (which kills its commands). */
    private final Map<String, Thread> workers = new ConcurrentHashMap<>();
    /** Tasks submitted and not yet started; a cancel marks them so they never start. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    public TaskDispatcher(ModuleRunner runner, Listener listener, int workers) {
        this.runner = runner;
        this.listener = listener;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "agent-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Tasks running now (for heartbeats). */
    public int running() {
        return running.get();
    }

    /** Queues a task; the future completes with its result after the listener has been given it. */
    public CompletableFuture<ModuleResult> submit(RunTask task) {
        queued.add(task.taskId());
        String key = deviceKey(task);
        if (key == null) {
            return CompletableFuture.supplyAsync(() -> run(task), pool);
        }
        synchronized (tails) {
            CompletableFuture<Void> previous = tails.getOrDefault(key, CompletableFuture.completedFuture(null));
            CompletableFuture<ModuleResult> next = previous.thenApplyAsync(ignored -> run(task), pool);
            CompletableFuture<Void> tail = next.handle((r, e) -> null);
            tails.put(key, tail);
            tail.thenRun(() -> tails.remove(key, tail));
            return next;
        }
    }

    /**
     * The disk a task works on, or null when it may run alongside anything. A partition counts as its
     * disk, and two names of one device (xvdf, loop3) as one, so the key is the disk's major:minor where
     * the kernel knows the device, else the text given.
     */
    static String deviceKey(RunTask task) {
        if (UNSERIALISED.contains(task.module()) || task.args() == null) {
            return null;
        }
        JsonNode device = task.args().get("device");
        if (device == null || !device.isTextual()) {
            return null;
        }
        String majMin = BlockDeviceFacts.liveMajMin(Path.of(device.asText()));
        Path sys = majMin == null ? null : BlockDeviceFacts.sysDir(majMin);
        if (sys == null) {
            return device.asText();
        }
        Path disk = Files.exists(sys.resolve("partition")) ? sys.getParent() : sys;
        try {
            return "block " + Files.readString(disk.resolve("dev")).strip();
        } catch (IOException e) {
            return device.asText();
        }
    }

    /**
     * Stops a task: a running one has its thread interrupted, which kills its command and every process
     * the command started (see CommandRunner); a queued one never starts. Unknown ids are ignored.
     *
     * @return whether the task was known (running or queued)
     */
    public boolean cancel(String taskId) {
        synchronized (workers) {
            Thread worker = workers.get(taskId);
            if (worker != null) {
                cancelled.add(taskId);
                worker.interrupt();
                return true;
            }
            if (queued.contains(taskId)) {
                cancelled.add(taskId);
                return true;
            }
            return false;
        }
    }

    private ModuleResult run(RunTask task) {
        synchronized (workers) {
            queued.remove(task.taskId());
            if (cancelled.remove(task.taskId())) {
                ModuleResult result = ModuleResult.cancelled(task.module(), "cancelled before it started");
                listener.result(task, result);
                return result;
            }
            workers.put(task.taskId(), Thread.currentThread());
        }
        running.incrementAndGet();
        ModuleResult result;
        try {
            TaskOptions options = new TaskOptions(task.check(), task.diff(),
                    (stream, line) -> listener.output(task, stream, line), task.timeoutSec());
            result = runner.run(task.module(), task.args(), options);
        } catch (RuntimeException | Error e) {
            // a bug in a module must still answer the controller, which is waiting for this task
            result = ModuleResult.failed(task.module(), "agent error while running " + task.module() + ": " + e);
        } finally {
            running.decrementAndGet();
            synchronized (workers) {
                workers.remove(task.taskId());
                // a cancel that came as the task ended must not reach the next task this thread runs
                Thread.interrupted();
                if (cancelled.remove(task.taskId())) {
                    result = ModuleResult.cancelled(task.module(), "cancelled: its commands were killed");
                }
            }
        }
        listener.result(task, result);
        return result;
    }

    /**
     * Stops the running tasks: their threads are interrupted, which kills their commands, and the agent
     * waits a little for that, so that nothing a task started outlives the agent that is about to exit.
     */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(STOP_WAIT_SEC, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
