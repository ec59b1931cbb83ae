package dev.rigger.agent.facts;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.exec.OutputSink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code blkid -p -o export} finds on a device. Probe mode reads the device itself, so it works
 * without udev and without blkid's cache, which are both missing or stale in a container.
 */
public final class BlkidFacts {
    private BlkidFacts() {
    }

    /** The probe's KEY=VALUE pairs; empty for a blank device (blkid exits 2) or one it cannot open. */
    public static Map<String, String> probe(String devicePath) {
        CommandOutcome out = CommandRunner.probe("blkid", "-p", "-o", "export", devicePath);
        return out.ok() ? parse(out.stdout()) : Map.of();
    }

    /** As {@link #probe(String)}, with blkid killed at the deadline (a {@code CommandTimeoutException} says so). */
    public static Map<String, String> probe(String devicePath, Instant deadline) {
        CommandOutcome out = CommandRunner.run(CommandSpec.of("blkid", "-p", "-o", "export", devicePath),
                OutputSink.DISCARD, deadline);
        return out.ok() ? parse(out.stdout()) : Map.of();
    }

    public static Map<String, String> parse(String export) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : export.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return values;
    }
}
