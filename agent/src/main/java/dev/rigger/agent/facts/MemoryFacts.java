package dev.rigger.agent.facts;

import java.nio.file.Path;

/** Total memory, exactly as /proc/meminfo's MemTotal (kB) times 1024. */
public final class MemoryFacts {
    private MemoryFacts() {
    }

    public static long collect() {
        return parse(SysFiles.readOrEmpty(Path.of("/proc/meminfo")));
    }

    /** Bytes of MemTotal in /proc/meminfo text; 0 when the line is missing. */
    public static long parse(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024L;
            }
        }
        return 0;
    }
}
