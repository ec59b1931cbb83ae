package dev.rigger.controller.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.lab.Lab;
import dev.rigger.lab.LabInventory;
import dev.rigger.lab.LabNode;
import dev.rigger.lab.LabOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A lab of its own for one test class, a state directory of its own, and the real CLI run against
 * them: what the end-to-end tests share.
 */
final class LabRun implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final Path stateDir;
    final Lab lab;
    final LabInventory inventory;
    private final String playbook;
    private final List<String> extraArgs;

    /** Brings up {@code nodes} fresh nodes named {@code <name>-node<k>} (removing any left from before). */
    LabRun(String name, int nodes, String playbook, String... extraArgs) throws IOException {
        Prerequisites.requireLab();
        this.name = name;
        this.stateDir = Files.createTempDirectory("rigger-" + name);
        this.playbook = Path.of(System.getProperty("rigger.playbooks", "../playbooks"), playbook).toString();
        this.extraArgs = List.of(extraArgs);
        this.lab = Lab.of(LabOptions.defaults().withName(name).withNodes(nodes).withDiskSize("2G")
                .withStateRoot(stateDir.resolve("lab")));
        lab.down(line -> { });
        this.inventory = lab.up(System.out::println);
    }

    /** {@code rigger play <playbook>} against this lab, with the run's own state. */
    CliRun play(String... args) {
        List<String> all = new ArrayList<>(List.of("play", playbook, "--state", stateDir.toString(), "--lab", name));
        all.addAll(extraArgs);
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    Node node(String node) {
        return new Node(name + "-" + node);
    }

    List<String> nodeNames() {
        return inventory.nodes().stream().map(LabNode::name).toList();
    }

    /** The events of the newest run log. */
    List<JsonNode> lastRunEvents() throws IOException {
        Path newest;
        try (Stream<Path> files = Files.list(stateDir.resolve("runs"))) {
            newest = files.max(Comparator.comparing(Path::getFileName)).orElseThrow();
        }
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(newest)) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    List<JsonNode> lastRunEvents(String type) throws IOException {
        return lastRunEvents().stream().filter(e -> type.equals(e.path("event").asText())).toList();
    }

    @Override
    public void close() {
        lab.down(System.out::println);
        deleteTree(stateDir);
    }

    /** Removes a test's state directory (run logs, keys, credentials) once its lab is gone. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
