package dev.rigger.lab.ec2;

/**
 * Faults the emulator injects, for tests: {@code throttleRate} (that share of API calls answers 503
 * RequestLimitExceeded, deterministically: every round(1/rate)-th call), {@code insufficientCapacityLaunches}
 * (the next N RunInstances fail with InsufficientInstanceCapacity) and {@code stateDelaySec} (pending -> running
 * and attaching -> attached take at least that long).
 */
public record Ec2FaultSettings(double throttleRate, int insufficientCapacityLaunches, double stateDelaySec) {
    public Ec2FaultSettings {
        if (throttleRate < 0 || throttleRate > 1) {
            throw new IllegalArgumentException("throttleRate must be 0..1, was " + throttleRate);
        }
        if (insufficientCapacityLaunches < 0) {
            throw new IllegalArgumentException("insufficientCapacityLaunches must be >= 0, was " + insufficientCapacityLaunches);
        }
        if (stateDelaySec < 0) {
            throw new IllegalArgumentException("stateDelaySec must be >= 0, was " + stateDelaySec);
        }
    }

    public static Ec2FaultSettings none() {
        return new Ec2FaultSettings(0, 0, 0);
    }
}
