package dev.rigger.controller;

import dev.rigger.controller.run.RunOptions;
import java.nio.file.Path;

/**
 * How the controller runs.
 *
 * @param stateDir       {@code .rigger} by default: state, run logs, known_hosts
 * @param agentJar       the agent's shaded jar to ship to hosts
 * @param trustNewHosts  accept and record the key of a host seen for the first time (accept-new)
 * @param heartbeatSec   how often agents report they are alive
 * @param lostAfterSec   how long a host running a task may stay silent (no heartbeat, output or result)
 *                       before it counts as lost; 0 never declares a host lost
 * @param taskTimeoutSec the deadline of a task without {@code timeoutSec} ({@code --task-timeout}); the agent
 *                       kills the task's commands there; 0 for none
 */
public record ControllerOptions(Path stateDir, Path agentJar, boolean trustNewHosts, int heartbeatSec,
                                boolean verbose, int lostAfterSec, int taskTimeoutSec) {

    public ControllerOptions {
        if (heartbeatSec < 0 || lostAfterSec < 0 || taskTimeoutSec < 0) {
            throw new IllegalArgumentException("heartbeatSec, lostAfterSec and taskTimeoutSec must not be negative, got "
                    + heartbeatSec + ", " + lostAfterSec + " and " + taskTimeoutSec);
        }
    }

    /** With the default task deadline. */
    public ControllerOptions(Path stateDir, Path agentJar, boolean trustNewHosts, int heartbeatSec, boolean verbose,
                             int lostAfterSec) {
        this(stateDir, agentJar, trustNewHosts, heartbeatSec, verbose, lostAfterSec,
                RunOptions.DEFAULT_TASK_TIMEOUT_SEC);
    }

    public ControllerOptions withTaskTimeoutSec(int seconds) {
        return new ControllerOptions(stateDir, agentJar, trustNewHosts, heartbeatSec, verbose, lostAfterSec, seconds);
    }

    /** With the default loss threshold for {@code heartbeatSec}. */
    public ControllerOptions(Path stateDir, Path agentJar, boolean trustNewHosts, int heartbeatSec, boolean verbose) {
        this(stateDir, agentJar, trustNewHosts, heartbeatSec, verbose, defaultLostAfterSec(heartbeatSec));
    }

    /**
     * Three missed heartbeats and a second of slack, like Nomad's TTL plus grace: one late or dropped
     * heartbeat is noise, three in a row are a host that stopped. No heartbeats, no verdict.
     */
    public static int defaultLostAfterSec(int heartbeatSec) {
        return heartbeatSec > 0 ? 3 * heartbeatSec + 1 : 0;
    }

    /** The agent jar beside the controller's classes (bin/rigger sets {@code rigger.agent.jar}). */
    public static Path defaultAgentJar() {
        String configured = System.getProperty("rigger.agent.jar");
        return Path.of(configured != null ? configured : "controller/target/agent/rigger-agent.jar");
    }
}
