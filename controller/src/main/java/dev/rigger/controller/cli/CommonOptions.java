package dev.rigger.controller.cli;

import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that reaches hosts shares. */
final class CommonOptions {
    @Option(names = "--state", description = "state directory (default: ${DEFAULT-VALUE})", defaultValue = ".rigger")
    Path stateDir;

    @Option(names = {"-i", "--inventory"}, description = "inventory JSON file (default: the lab's, if one is up)")
    Path inventory;

    @Option(names = "--lab", description = "name of the lab whose inventory to use (default: ${DEFAULT-VALUE})", defaultValue = "rigger")
    String lab;

    @Option(names = "--trust-new-hosts", description = "accept and record the SSH host key of a host seen for the first time")
    boolean trustNewHosts;

    @Option(names = {"-v", "--verbose"}, description = "show task output and connection details")
    boolean verbose;

    ControllerOptions controllerOptions() {
        return new ControllerOptions(stateDir, ControllerOptions.defaultAgentJar(), trustNewHosts, 5, verbose);
    }

    /** The inventory to use when the playbook brings none: --inventory, else the lab's. */
    Inventory inventory() throws InventoryException {
        if (inventory != null) {
            return InventoryLoader.read(inventory);
        }
        Path lab = InventoryLoader.labInventory(stateDir, this.lab);
        if (Files.exists(lab)) {
            return InventoryLoader.read(lab);
        }
        throw new InventoryException("no inventory: give --inventory FILE, put an \"inventory\" in the playbook, or run 'rigger lab up'");
    }
}
