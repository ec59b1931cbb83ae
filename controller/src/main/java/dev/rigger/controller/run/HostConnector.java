package dev.rigger.controller.run;

import dev.rigger.controller.inventory.InventoryHost;

/** Reaches a host and attaches its agent. */
public interface HostConnector {
    HostSession connect(InventoryHost host) throws UnreachableException;

    /**
     * As {@link #connect(InventoryHost)}; with {@code gatherFacts} false (a play's {@code gatherFacts: false})
     * a connector that keeps agents attached may answer with the facts it has instead of gathering again.
     */
    default HostSession connect(InventoryHost host, boolean gatherFacts) throws UnreachableException {
        return connect(host);
    }

    /** What connecting cost, for the run's events; null when nothing is known. */
    default ConnectStats lastStats(String host) {
        return null;
    }

    record ConnectStats(long tookMs, boolean runtimeShipped, boolean agentShipped, long bytesShipped) {
    }
}
