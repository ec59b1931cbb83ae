package dev.rigger.controller.serve;

import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How {@code rigger serve} runs.
 *
 * @param bind             address to listen on; 127.0.0.1 unless told otherwise
 * @param port             0 picks a free port (written to {@code serve.json})
 * @param playbooksDir     where {@code POST /api/runs} finds playbooks by name; nothing outside it runs
 * @param preparePlaybook  the playbook (a name in playbooksDir) that re-prepares one host
 * @param prepareVars      variables for the re-prepare run (the inventory group it targets, say)
 * @param inventory        read anew for every request, so hosts recorded by a run show up
 * @param maxBodyBytes     larger request bodies are refused with 413
 * @param inventoryId      where the inventory comes from ({@code lab:NAME} or {@code file:PATH}), so a CLI
 *                         of the same state and inventory knows it may hand its runs to this server; null: none may
 * @param tls              the certificate to speak HTTPS with; null: plain HTTP, for a loopback bind only
 */
public record ServeOptions(ControllerOptions controller, String bind, int port, Path playbooksDir,
                           String preparePlaybook, Map<String, Object> prepareVars,
                           InventorySource inventory, long maxBodyBytes, String inventoryId, ServeTls tls) {

    public ServeOptions(ControllerOptions controller, String bind, int port, Path playbooksDir, String preparePlaybook,
                        Map<String, Object> prepareVars, InventorySource inventory, long maxBodyBytes,
                        String inventoryId) {
        this(controller, bind, port, playbooksDir, preparePlaybook, prepareVars, inventory, maxBodyBytes, inventoryId, null);
    }

    public ServeOptions(ControllerOptions controller, String bind, int port, Path playbooksDir, String preparePlaybook,
                        Map<String, Object> prepareVars, InventorySource inventory, long maxBodyBytes) {
        this(controller, bind, port, playbooksDir, preparePlaybook, prepareVars, inventory, maxBodyBytes, null);
    }

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    /** Loopback, a free port, {@code playbooks/} and its prepare-hosts.json. */
    public static ServeOptions defaults(ControllerOptions controller, InventorySource inventory) {
        return new ServeOptions(controller, "127.0.0.1", 0, Path.of("playbooks"), "prepare-hosts.json", Map.of(),
                inventory, DEFAULT_MAX_BODY_BYTES);
    }

    public ServeOptions withPlaybooksDir(Path dir) {
        return new ServeOptions(controller, bind, port, dir, preparePlaybook, prepareVars, inventory, maxBodyBytes, inventoryId,
                tls);
    }

    public ServeOptions withPort(int newPort) {
        return new ServeOptions(controller, bind, newPort, playbooksDir, preparePlaybook, prepareVars, inventory, maxBodyBytes,
                inventoryId, tls);
    }

    public ServeOptions withTls(ServeTls newTls) {
        return new ServeOptions(controller, bind, port, playbooksDir, preparePlaybook, prepareVars, inventory, maxBodyBytes,
                inventoryId, newTls);
    }

    public Path stateDir() {
        return controller.stateDir();
    }

    /** The hosts the server knows, as the CLI finds them: --inventory, the lab's, and those recorded by runs. */
    @FunctionalInterface
    public interface InventorySource {
        Inventory get() throws InventoryException;
    }
}
