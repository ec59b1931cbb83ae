package dev.rigger.controller.cli;

import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.controller.state.JsonFileStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToIntBiFunction;
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

    @Option(names = "--task-timeout", paramLabel = "SEC", defaultValue = "3600",
            description = "deadline of a task that sets no timeoutSec; the agent kills its commands there; 0: none (default: ${DEFAULT-VALUE})")
    int taskTimeoutSec;

    /**
     * The heartbeat interval and the loss threshold are no options a user should need; the system
     * properties {@code rigger.heartbeatSec} and {@code rigger.lostAfterSec} exist for tests and for
     * links slow enough to need a longer leash.
     */
    /** Where the inventory comes from, as a running server records it in serve.json. */
    String inventoryId() {
        return inventory != null ? "file:" + inventory.toAbsolutePath().normalize() : "lab:" + lab;
    }

    ControllerOptions controllerOptions() {
        ToIntBiFunction<String, Integer> seconds = (name, fallback) -> {
            String value = System.getProperty(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            if (!value.strip().matches("\\d{1,6}")) {
                throw new IllegalArgumentException("system property " + name + ": expected whole seconds (0 or more), got '"
                        + value + "'");
            }
            return Integer.parseInt(value.strip());
        };
        int heartbeatSec = seconds.applyAsInt("rigger.heartbeatSec", 5);
        int lostAfterSec = seconds.applyAsInt("rigger.lostAfterSec", ControllerOptions.defaultLostAfterSec(heartbeatSec));
        if (taskTimeoutSec < 0) {
            throw new IllegalArgumentException("--task-timeout: expected whole seconds (0 or more), got " + taskTimeoutSec);
        }
        return new ControllerOptions(stateDir, ControllerOptions.defaultAgentJar(), trustNewHosts, heartbeatSec, verbose,
                lostAfterSec, taskTimeoutSec);
    }

    /**
     * The inventory to use when the playbook brings none: --inventory, else the lab's; plus the hosts
     * earlier runs recorded in the state (an ec2 task's instances).
     */
    Inventory inventory() throws InventoryException {
        Inventory recorded;
        try {
            recorded = JsonFileStateStore.peekHosts(stateDir);
        } catch (JsonFileStateStore.CorruptStateException e) {
            throw new InventoryException(e.getMessage());
        } catch (IOException | IllegalStateException e) {
            throw new InventoryException(stateDir.resolve("state.json") + ": cannot read the recorded hosts: " + e.getMessage());
        }
        if (inventory != null) {
            return InventoryLoader.merge(InventoryLoader.read(inventory), recorded);
        }
        Path lab = InventoryLoader.labInventory(stateDir, this.lab);
        if (Files.exists(lab)) {
            return InventoryLoader.merge(InventoryLoader.read(lab), recorded);
        }
        return recorded;
    }
}
