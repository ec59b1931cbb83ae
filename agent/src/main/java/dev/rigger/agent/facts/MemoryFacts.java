package dev.rigger.agent.facts;

import dev.rigger.protocol.facts.MemoryInfo;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Memory and swap from /proc/meminfo, whose kB are KiB: bytes are the figure times 1024. */
public final class MemoryFacts {
    private MemoryFacts() {
    }

    public static long collect() {
        return parse(SysFiles.readOrEmpty(Path.of("/proc/meminfo")));
    }

    /** Bytes of MemTotal in /proc/meminfo text; 0 when the line is missing. */
    public static long parse(String meminfo) {
        Long total = bytes(meminfo).get("MemTotal");
        return total == null ? 0 : total;
    }

    /** Free, available and swap figures of /proc/meminfo text; a missing line gives null. */
    public static MemoryInfo parseInfo(String meminfo) {
        Map<String, Long> b = bytes(meminfo);
        return new MemoryInfo(b.get("MemFree"), b.get("MemAvailable"), b.get("SwapTotal"), b.get("SwapFree"));
    }

    /** Every {@code Key: N kB} line as Key → bytes (lines without a unit, like HugePages_Total, as they are). */
    static Map<String, Long> bytes(String meminfo) {
        Map<String, Long> values = new HashMap<>();
        for (String line : meminfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] parts = line.substring(colon + 1).trim().split("\\s+");
            try {
                long n = Long.parseLong(parts[0]);
                values.put(line.substring(0, colon).strip(), parts.length > 1 && parts[1].equals("kB") ? n * 1024L : n);
            } catch (NumberFormatException e) {
                // not a number: not a line we use
            }
        }
        return values;
    }
}
