package dev.rigger.controller.ssh;

import java.util.Map;

/** Exit codes the way a shell reports them, also for commands that a signal ended. */
final class ExitStatus {

    private static final Map<String, Integer> SIGNALS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8),
            Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12),
            Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15));

    private ExitStatus() {
    }

    /** The exit code, 128 + signal number for a signal, or null when the host reported neither. */
    static Integer of(Integer status, String signal) {
        if (status != null) {
            return status;
        }
        if (signal != null) {
            return 128 + SIGNALS.getOrDefault(signal, 0);
        }
        return null;
    }
}
