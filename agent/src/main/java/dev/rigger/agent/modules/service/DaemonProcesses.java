package dev.rigger.agent.modules.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the running processes of a daemon from /proc. A process is the daemon's when its pid file
 * names it, or when its command line begins with the daemon's argv (the program compared by file
 * name, so {@code ["dockerd"]} also finds {@code /usr/bin/dockerd --debug}).
 */
final class DaemonProcesses {
    private static final Path PROC = Path.of("/proc");

    private DaemonProcesses() {
    }

    /** Pids of the daemon's running processes, lowest first; empty when none runs. */
    static List<Long> running(List<String> daemon, Path pidFile) {
        Long fromFile = pidFile == null ? null : pidFromFile(pidFile, daemon);
        if (fromFile != null) {
            return List.of(fromFile);
        }
        long self = ProcessHandle.current().pid();
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid != self && matches(cmdline(pid), daemon) && alive(pid)) {
                    found.add(pid);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        found.sort(null);
        return found;
    }

    /** Running, and not a zombie waiting for its parent to collect it. */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static boolean matches(List<String> cmdline, List<String> daemon) {
        if (cmdline.size() < daemon.size() || cmdline.isEmpty()) {
            return false;
        }
        if (!fileName(cmdline.get(0)).equals(fileName(daemon.get(0)))) {
            return false;
        }
        return cmdline.subList(1, daemon.size()).equals(daemon.subList(1, daemon.size()));
    }

    static List<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            String text = new String(raw, StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return List.of();
            }
            return Arrays.asList(text.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Long pidFromFile(Path pidFile, List<String> daemon) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            List<String> cmd = cmdline(pid);
            // a stale pid file may name a pid the kernel has since given to another program
            boolean same = !cmd.isEmpty() && fileName(cmd.get(0)).equals(fileName(daemon.get(0)));
            return same && alive(pid) ? pid : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    static String fileName(String program) {
        return program.substring(program.lastIndexOf('/') + 1);
    }
}
