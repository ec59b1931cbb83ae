package dev.rigger.agent.modules.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What runs as PID 1. Only systemd is used to manage services; anything else (a shell script, sshd,
 * tini in a container) counts as no init system.
 *
 * @param pid1    PID 1's name from /proc/1/comm, e.g. {@code systemd}, {@code sh}
 * @param systemd systemd runs the host (the test sd_booted makes: /run/systemd/system exists)
 */
record InitSystem(String pid1, boolean systemd) {
    static InitSystem detect() {
        String comm;
        try {
            comm = Files.readString(Path.of("/proc/1/comm")).strip();
        } catch (IOException e) {
            comm = "unknown";
        }
        return new InitSystem(comm, "systemd".equals(comm) || Files.isDirectory(Path.of("/run/systemd/system")));
    }

    static InitSystem none(String pid1) {
        return new InitSystem(pid1, false);
    }

    String manager() {
        return systemd ? "systemd" : "none";
    }
}
