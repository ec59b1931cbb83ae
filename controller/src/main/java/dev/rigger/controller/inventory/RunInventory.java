package dev.rigger.controller.inventory;

/**
 * Hosts that a controller-side module brings into being during a run (an {@code ec2} task's instances):
 * registered hosts join the run at once (later plays select them by name and group) and are kept in the
 * state, so later runs and {@code rigger facts} know them too.
 */
public interface RunInventory {

    /** Adds or replaces a host; its groups decide which later plays reach it. */
    void register(InventoryHost host);

    /** Forgets a host (its resources were torn down). */
    void remove(String name);
}
