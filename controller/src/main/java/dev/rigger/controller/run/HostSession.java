package dev.rigger.controller.run;

import dev.rigger.controller.modules.HostAccess;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.facts.HostFacts;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A host whose agent is attached and ready for tasks. */
public interface HostSession extends AutoCloseable {
    String host();

    HostFacts facts();

    /** True when {@link #facts()} were reported earlier (a play with {@code gatherFacts: false}), not just now. */
    default boolean factsReused() {
        return false;
    }

    /** How controller-side modules reach the host (its Docker); a session without SSH gives no access. */
    default HostAccess access() {
        return HostAccess.none(host());
    }

    CompletableFuture<ModuleResult> run(RunTask task, Consumer<TaskOutput> output);

    /** False once the agent is known to be gone (its process ended); a kept session is then connected anew. */
    default boolean alive() {
        return true;
    }

    /** Stops waiting for a task whose time is up. */
    void abandon(String taskId);

    @Override
    void close();
}
