package dev.rigger.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabInventoryFileTest {
    @TempDir
    Path stateRoot;

    @Test
    void writesTheHostsShapeTheControllerReadsAndReadsItBack() throws IOException {
        Path labDir = stateRoot.resolve("t1");
        Files.createDirectories(labDir);
        Path identity = labDir.resolve("id_ed25519");
        LabNode node = new LabNode("node1", "node1", "172.30.0.11", 22, "root",
                List.of("ssh-ed25519 AAAAC3Nza", "ecdsa-sha2-nistp256 AAAAE2V"), "c0ffee", "/dev/loop7",
                labDir.resolve("disks/node1.img"));
        new LabInventory("t1", identity, labDir.resolve("known_hosts"), List.of(node)).writeTo(labDir);
        new LabStateStore(labDir, "t1").save(LabState.empty("t1").withNetwork("t1-net", "172.30.0.0/24")
                .withNode("node1", new LabState.NodeState("/dev/loop7", node.diskFile().toString(), "c0ffee", "172.30.0.11")));

        Object json = new ObjectMapper().readValue(labDir.resolve("inventory.json").toFile(), Object.class);
        assertThat(json).isEqualTo(Map.of("hosts", Map.of("node1", Map.of(
                "address", "172.30.0.11", "port", 22, "user", "root", "identityFile", identity.toString(),
                "hostKeys", List.of("ssh-ed25519 AAAAC3Nza", "ecdsa-sha2-nistp256 AAAAE2V"),
                "groups", List.of("lab")))));
        assertThat(Files.readAllLines(labDir.resolve("known_hosts")))
                .containsExactly("172.30.0.11 ssh-ed25519 AAAAC3Nza", "172.30.0.11 ecdsa-sha2-nistp256 AAAAE2V");

        LabInventory read = LabInventory.read(stateRoot, "t1");
        assertThat(read.nodes()).containsExactly(node);
        assertThat(read.identityFile()).isEqualTo(identity);
        assertThat(read.knownHostsFile()).isEqualTo(labDir.resolve("known_hosts"));
    }

    @Test
    void saysClearlyThatNoLabIsUp() {
        assertThat(LabInventory.find(stateRoot, "nolab")).isEmpty();
        assertThatThrownBy(() -> LabInventory.read(stateRoot, "nolab"))
                .isInstanceOf(LabNotUpException.class)
                .hasMessageContaining("no lab 'nolab' is up")
                .hasMessageContaining(stateRoot.resolve("nolab/inventory.json").toString());
    }
}
