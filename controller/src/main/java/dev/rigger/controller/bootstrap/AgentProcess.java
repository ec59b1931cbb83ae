package dev.rigger.controller.bootstrap;

import dev.rigger.controller.ssh.RemoteProcess;

/**
 * An agent started on a host, and what it took to get it there.
 *
 * @param process        the running agent; it exits when its stdin (the SSH session) closes
 * @param runtimeShipped whether the Java runtime was uploaded (the host had no usable Java, and no runtime or one
 *                       that differs from the controller's manifest)
 * @param jarShipped     whether the agent jar was uploaded (the host had no file under its sha256's name, or a
 *                       different one)
 * @param bytesShipped   bytes uploaded for this start
 * @param javaPath       the java the agent runs on
 */
public record AgentProcess(RemoteProcess process, boolean runtimeShipped, boolean jarShipped, long bytesShipped,
                           String javaPath) {
}
