package dev.rigger.controller.serve;

import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.lab.Lab;
import dev.rigger.lab.LabInventory;
import dev.rigger.lab.LabNode;
import dev.rigger.lab.LabOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lab nodes of the dashboard test's own, with a state directory of their own, brought up the way the
 * end-to-end tests do it; and a look inside a node that does not go through rigger.
 */
final class BrowserLab implements AutoCloseable {
    final String name;
    final Path stateDir;
    final Lab lab;
    final LabInventory inventory;

    private BrowserLab(String name, Path stateDir, Lab lab, LabInventory inventory) {
        this.name = name;
        this.stateDir = stateDir;
        this.lab = lab;
        this.inventory = inventory;
    }

    /** {@code nodes} fresh nodes named {@code node<k>} (any left from an earlier run of this lab go first). */
    static BrowserLab up(String name, int nodes) throws IOException {
        Path stateDir = Files.createTempDirectory("rigger-" + name);
        Lab lab = Lab.of(LabOptions.defaults().withName(name).withNodes(nodes).withDiskSize("2G")
                .withStateRoot(stateDir.resolve("lab")));
        lab.down(line -> { });
        try {
            return new BrowserLab(name, stateDir, lab, lab.up(System.out::println));
        } catch (RuntimeException e) {
            lab.down(System.out::println);
            BrowserFiles.deleteTree(stateDir);
            throw e;
        }
    }

    /** What {@code rigger serve --state <stateDir> --lab <name>} serves: the lab's hosts and those runs recorded. */
    Inventory inventory() throws InventoryException {
        Inventory recorded;
        try {
            recorded = JsonFileStateStore.peekHosts(stateDir);
        } catch (IOException e) {
            throw new InventoryException(stateDir.resolve("state.json") + ": cannot read the recorded hosts: " + e.getMessage());
        }
        return InventoryLoader.merge(InventoryLoader.read(InventoryLoader.labInventory(stateDir, name)), recorded);
    }

    List<String> nodeNames() {
        return inventory.nodes().stream().map(LabNode::name).toList();
    }

    /** Runs a shell script in the node's container (docker exec) and returns its output, stripped. */
    String sh(String node, String script) {
        String container = name + "-" + node;
        try {
            Process p = new ProcessBuilder("docker", "exec", container, "sh", "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("in " + container + ": '" + script + "' did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("in " + container + ": '" + script + "' exited " + p.exitValue() + ": " + out);
            }
            return out.strip();
        } catch (IOException e) {
            throw new AssertionError("in " + container + ": docker exec failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            lab.down(System.out::println);
        } finally {
            BrowserFiles.deleteTree(stateDir);
        }
    }
}
