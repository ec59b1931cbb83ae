package dev.rigger.controller.run;

import dev.rigger.controller.inventory.InventoryHost;

/** Reaches a host and attaches its agent. */
public interface HostConnector {
    HostSession connect(InventoryHost host) throws UnreachableException;

    /** What connecting cost, for the run's events; null when nothing is known. */
    default ConnectStats lastStats(String host) {
        return null;
    }

    record ConnectStats(long tookMs, boolean runtimeShipped, boolean agentShipped, long bytesShipped) {
    }
}
