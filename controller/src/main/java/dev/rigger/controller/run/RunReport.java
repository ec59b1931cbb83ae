package dev.rigger.controller.run;

import dev.rigger.controller.events.HostRecap;
import java.util.Map;

/** How a run ended. */
public record RunReport(String runId, Map<String, HostRecap> recap, boolean aborted) {
    public boolean anyFailed() {
        return recap.values().stream().anyMatch(r -> r.failed() > 0);
    }

    public boolean anyUnreachable() {
        return recap.values().stream().anyMatch(r -> r.unreachable() > 0);
    }

    public boolean anyLost() {
        return recap.values().stream().anyMatch(r -> r.lost() > 0);
    }

    /**
     * 0 all went well, 1 a task failed, 3 a host was unreachable or lost (and nothing failed), 2 is for
     * bad input.
     */
    public int exitCode() {
        if (anyFailed() || aborted) {
            return 1;
        }
        return anyUnreachable() || anyLost() ? 3 : 0;
    }
}
