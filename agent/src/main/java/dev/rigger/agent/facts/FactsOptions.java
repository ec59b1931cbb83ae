package dev.rigger.agent.facts;

import dev.rigger.protocol.facts.HostFacts;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Deadlines of a facts gather: one per collector (5 s unless set), and one per mount for its statvfs
 * call, so a dead NFS server costs one bounded wait instead of the whole mounts collector.
 *
 * @param collectorTimeout the deadline of every collector without its own entry in {@code timeouts}
 * @param timeouts         collector name ({@link HostFacts#COLLECTORS}) → its own deadline
 * @param statvfsTimeout   how long one mount's statvfs may take before its sizes are given up
 */
public record FactsOptions(Duration collectorTimeout, Map<String, Duration> timeouts, Duration statvfsTimeout) {
    public static final Duration DEFAULT_COLLECTOR_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STATVFS_TIMEOUT = Duration.ofSeconds(2);

    public FactsOptions {
        requirePositive(collectorTimeout, "collector timeout");
        requirePositive(statvfsTimeout, "statvfs timeout");
        timeouts = timeouts == null ? Map.of() : Map.copyOf(timeouts);
        timeouts.forEach((name, d) -> {
            if (!HostFacts.COLLECTORS.contains(name)) {
                throw new IllegalArgumentException("no facts collector named " + name + "; there are " + HostFacts.COLLECTORS);
            }
            requirePositive(d, "timeout of collector " + name);
        });
    }

    /**
     * The first gather, for the hello: it runs while the agent's JVM is still loading and compiling, often on
     * many hosts that start at once on a busy controller or hypervisor, so it gets three times the time.
     */
    public static final Duration START_COLLECTOR_TIMEOUT = Duration.ofSeconds(30);

    public static FactsOptions atStart() {
        return new FactsOptions(START_COLLECTOR_TIMEOUT, Map.of(), DEFAULT_STATVFS_TIMEOUT);
    }

    public static FactsOptions defaults() {
        return new FactsOptions(DEFAULT_COLLECTOR_TIMEOUT, Map.of(), DEFAULT_STATVFS_TIMEOUT);
    }

    public FactsOptions withTimeout(String collector, Duration timeout) {
        Map<String, Duration> t = new HashMap<>(timeouts);
        t.put(collector, timeout);
        return new FactsOptions(collectorTimeout, t, statvfsTimeout);
    }

    public FactsOptions withStatvfsTimeout(Duration timeout) {
        return new FactsOptions(collectorTimeout, timeouts, timeout);
    }

    public Duration timeoutOf(String collector) {
        return timeouts.getOrDefault(collector, collectorTimeout);
    }

    /** The longest a whole gather can take: collectors run side by side, so it is the largest deadline. */
    public Duration maxGather() {
        return HostFacts.COLLECTORS.stream().map(this::timeoutOf).max(Duration::compareTo).orElse(collectorTimeout);
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
