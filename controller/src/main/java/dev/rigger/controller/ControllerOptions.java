package dev.rigger.controller;

import java.nio.file.Path;

/**
 * How the controller runs.
 *
 * @param stateDir       {@code .rigger} by default: state, run logs, known_hosts
 * @param agentJar       the agent's shaded jar to ship to hosts
 * @param trustNewHosts  accept and record the key of a host seen for the first time (accept-new)
 * @param heartbeatSec   how often agents report they are alive
 */
public record ControllerOptions(Path stateDir, Path agentJar, boolean trustNewHosts, int heartbeatSec,
                                boolean verbose) {

    /** The agent jar beside the controller's classes (bin/rigger sets {@code rigger.agent.jar}). */
    public static Path defaultAgentJar() {
        String configured = System.getProperty("rigger.agent.jar");
        return Path.of(configured != null ? configured : "controller/target/agent/rigger-agent.jar");
    }
}
