package dev.rigger.lab.ec2;

/** The faults in force and their counters; every method is called under the emulator's lock. */
final class Ec2Faults {
    private Ec2FaultSettings settings = Ec2FaultSettings.none();
    private long calls;

    Ec2FaultSettings settings() {
        return settings;
    }

    /** Merges the given fields (null = keep) into the settings and restarts the call counter. */
    void set(Double throttleRate, Integer insufficientCapacityLaunches, Double stateDelaySec) {
        settings = new Ec2FaultSettings(
                throttleRate == null ? settings.throttleRate() : throttleRate,
                insufficientCapacityLaunches == null ? settings.insufficientCapacityLaunches() : insufficientCapacityLaunches,
                stateDelaySec == null ? settings.stateDelaySec() : stateDelaySec);
        calls = 0;
    }

    void reset() {
        settings = Ec2FaultSettings.none();
        calls = 0;
    }

    /** Counts one API call; true if it is to be throttled (every round(1/rate)-th call, so retries get through). */
    boolean throttleThisCall() {
        calls++;
        if (settings.throttleRate() <= 0) {
            return false;
        }
        long every = Math.max(1, Math.round(1 / settings.throttleRate()));
        return calls % every == 0;
    }

    /** True (and one fewer left) if this launch is to fail for capacity. */
    boolean takeCapacityFailure() {
        if (settings.insufficientCapacityLaunches() <= 0) {
            return false;
        }
        settings = new Ec2FaultSettings(settings.throttleRate(), settings.insufficientCapacityLaunches() - 1,
                settings.stateDelaySec());
        return true;
    }

    long stateDelayMillis() {
        return Math.round(settings.stateDelaySec() * 1000);
    }
}
