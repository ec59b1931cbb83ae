package dev.rigger.controller.state;

import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.facts.HostFacts;
import java.io.IOException;
import java.util.Optional;

/**
 * What outlives a run: per host, the last result of every task, and the last facts seen. Behind an
 * interface so that several controllers can later share one store instead of a local file.
 */
public interface StateStore extends AutoCloseable {

    void recordTask(String host, String taskKey, String runId, ModuleResult result) throws IOException;

    /** How a play last went on a host; {@code --retry-failed} and {@code rigger hosts} read it. */
    void recordPlay(String host, PlayRecord play) throws IOException;

    void recordFacts(String host, HostFacts facts) throws IOException;

    Optional<HostFacts> cachedFacts(String host);

    /** Keeps a host that a run brought into being (an {@code ec2} instance), for later runs' inventories. */
    void recordHost(InventoryHost host) throws IOException;

    void removeHost(String name) throws IOException;

    /** The hosts runs have recorded, in the order they were recorded. */
    Inventory recordedHosts();

    /** Puts on disk now what may still be waiting to be written. */
    void sync() throws IOException;

    /** Writes what is pending, then lets the state go. */
    @Override
    void close() throws IOException;
}
