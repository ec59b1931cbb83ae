package dev.rigger.controller.ssh;

/**
 * What a finished remote command left behind. A command killed by a signal reports 128 + the signal
 * number, as a shell would.
 */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
