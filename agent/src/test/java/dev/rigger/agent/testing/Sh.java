package dev.rigger.agent.testing;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;

/** Runs a command a test needs for setting up or checking, and insists that it works. */
public final class Sh {
    private Sh() {
    }

    public static String ok(String... argv) {
        CommandOutcome out = CommandRunner.probe(argv);
        if (!out.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + out.exitCode() + ": " + out.stderr());
        }
        return out.stdout();
    }

    public static CommandOutcome any(String... argv) {
        return CommandRunner.probe(argv);
    }
}
