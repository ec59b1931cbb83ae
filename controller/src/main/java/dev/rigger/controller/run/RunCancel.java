package dev.rigger.controller.run;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's cancel switch. Once thrown, no further task starts, and every task waiting for its agent is
 * released at once (its agent told to kill it) instead of waiting for its result.
 */
public final class RunCancel {
    private final Set<Runnable> hooks = ConcurrentHashMap.newKeySet();
    private volatile String reason;

    /** A switch nobody throws (a CLI run stops with the process). */
    public static RunCancel never() {
        return new RunCancel();
    }

    public boolean cancelled() {
        return reason != null;
    }

    /** Why the run was cancelled; null while it was not. */
    public String reason() {
        return reason;
    }

    /** Throws the switch; only the first call counts. @return whether this call threw it */
    public boolean cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return false;
            }
            reason = why;
        }
        hooks.forEach(Runnable::run);
        return true;
    }

    /** Calls {@code hook} when the run is cancelled (at once if it already is). @return removes the hook */
    public Runnable onCancel(Runnable hook) {
        hooks.add(hook);
        if (cancelled() && hooks.remove(hook)) {
            hook.run();
        }
        return () -> hooks.remove(hook);
    }
}
