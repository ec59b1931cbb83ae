package dev.rigger.agent.facts;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.exec.OutputSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What {@code blkid -p -o export} finds on a device. Probe mode reads the device itself, so it works
 * without udev and without blkid's cache, which are both missing or stale in a container.
 *
 * <p>A probe that found a signature is reused for a few seconds while nothing has been written to the
 * device (its write and discard counters in sysfs are unchanged) and the agent has applied no change: a warm
 * run asks about the same disk in its facts and in the disk, partition, filesystem and mount tasks, and a
 * fork is most of what each question costs. A blank result is never reused, so a step that destroys data
 * (partition, mkfs) always decides on a fresh probe; a stale answer could only say a signature is still
 * there, which refuses or skips, never formats.
 */
public final class BlkidFacts {
    private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final AtomicLong GENERATION = new AtomicLong();
    private static final AtomicLong PROBES = new AtomicLong();
    private static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

    private record Seen(long generation, String stamp, long atNanos, Map<String, String> values) {
    }

    private BlkidFacts() {
    }

    /** The probe's KEY=VALUE pairs; empty for a blank device (blkid exits 2) or one it cannot open. */
    public static Map<String, String> probe(String devicePath) {
        return reused(devicePath, () -> {
            CommandOutcome out = CommandRunner.probe("blkid", "-p", "-o", "export", devicePath);
            return out.ok() ? parse(out.stdout()) : Map.of();
        });
    }

    /** As {@link #probe(String)}, with blkid killed at the deadline (a {@code CommandTimeoutException} says so). */
    public static Map<String, String> probe(String devicePath, Instant deadline) {
        return reused(devicePath, () -> {
            CommandOutcome out = CommandRunner.run(CommandSpec.of("blkid", "-p", "-o", "export", devicePath),
                    OutputSink.DISCARD, deadline);
            return out.ok() ? parse(out.stdout()) : Map.of();
        });
    }

    /**
     * A fresh probe for a step that would destroy what is on the device, with blkid's own verdict: blank
     * (exit 2) and found (exit 0) are sure; anything else, above all "ambivalent result" (exit 8: two
     * signatures blkid cannot choose between), means nobody knows what the device holds, which is not blank.
     */
    public static Inspection inspect(String devicePath) {
        PROBES.incrementAndGet();
        CommandOutcome out = CommandRunner.probe("blkid", "-p", "-o", "export", devicePath);
        Map<String, String> values = out.ok() ? parse(out.stdout()) : Map.of();
        String unsure = out.ok() || out.exitCode() == 2 ? null
                : out.exitCode() == 8 ? "blkid finds more than one signature on it (ambivalent result; wipefs -n lists them)"
                : "blkid cannot tell what it holds (exit " + out.exitCode() + (out.summary().isEmpty() ? "" : ": " + out.summary()) + ")";
        return new Inspection(values, unsure);
    }

    /** What {@link #inspect} found: blkid's values, and why it is not sure when it is not (else null). */
    public record Inspection(Map<String, String> values, String unsure) {
        public boolean blank() {
            return unsure == null && !values.containsKey("TYPE") && !values.containsKey("PTTYPE");
        }
    }

    /** The agent is about to change the host, or has: no earlier probe may answer for a device now. */
    public static void forgetAll() {
        GENERATION.incrementAndGet();
        SEEN.clear();
    }

    /** How many times blkid has run in this agent. */
    static long probes() {
        return PROBES.get();
    }

    private static Map<String, String> reused(String devicePath, Supplier<Map<String, String>> probe) {
        long generation = GENERATION.get();
        String stamp = writeStamp(devicePath);
        Seen seen = SEEN.get(devicePath);
        if (stamp != null && seen != null && seen.generation() == generation && seen.stamp().equals(stamp)
                && System.nanoTime() - seen.atNanos() < REUSE_NANOS) {
            return seen.values();
        }
        PROBES.incrementAndGet();
        Map<String, String> values = probe.get();
        if (stamp != null && (values.containsKey("TYPE") || values.containsKey("PTTYPE"))) {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            SEEN.put(devicePath, new Seen(generation, stamp, System.nanoTime(), values));
        } else {
            SEEN.remove(devicePath);
        }
        return values;
    }

    /**
     * The device's identity and everything written to it so far: major:minor, size, and the write and discard
     * counters of /sys/dev/block/M:m/stat; null (nothing is reused) when unknown or while I/O is in flight.
     */
    private static String writeStamp(String devicePath) {
        String mm = BlockDeviceFacts.majMin(Path.of(devicePath));
        if (mm == null) {
            return null;
        }
        try {
            Path sys = Path.of("/sys/dev/block", mm);
            String[] f = Files.readString(sys.resolve("stat")).trim().split("\\s+");
            if (f.length < 9 || !f[8].equals("0")) {
                return null;
            }
            String discards = f.length >= 14 ? f[11] + "/" + f[13] : "-";
            return mm + " " + Files.readString(sys.resolve("size")).trim() + " " + f[4] + "/" + f[6] + " " + discards;
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
