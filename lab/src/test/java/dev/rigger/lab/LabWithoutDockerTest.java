package dev.rigger.lab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real one-node lab made without dockerd (what the benchmarks bring up by the dozen): sshd, python3, the
 * disk tools and the data disk are there, dockerd and its volume are not, and the node keeps working through
 * the lab's other operations.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabWithoutDockerTest {
    private static final String NAME = "labtest-nodocker";

    private final List<String> progress = new ArrayList<>();
    private Path stateRoot;
    private Lab lab;
    private LabInventory inventory;

    @BeforeAll
    void bringUpOneNodeWithoutDocker() throws IOException {
        LabPrerequisites.require();
        stateRoot = Files.createTempDirectory("rigger-labtest-nodocker-");
        lab = Lab.of(LabOptions.defaults().withName(NAME).withNodes(1).withDiskSize("256M").withStateRoot(stateRoot)
                .withDocker(false));
        lab.down(line -> { });
        inventory = lab.up(progress::add);
    }

    @AfterAll
    void takeEverythingDown() throws IOException {
        if (lab != null) {
            lab.down(line -> { });
        }
        if (stateRoot != null) {
            Files.deleteIfExists(stateRoot);
        }
    }

    @Test
    @Order(1)
    void theNodeAnswersSshAndHasTheToolsHostPreparationNeeds() {
        assertThat(progress).as("up reports the node").anyMatch(l -> l.contains("node1: sshd answers") && l.contains("no dockerd"));
        LabNode node = inventory.nodes().get(0);
        assertThat(SshBannerProbe.answers(node.address(), Lab.SSH_PORT, java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(exec("sh", "-c", "test -b /dev/xvdf && for t in python3 mkfs.xfs sgdisk parted; do command -v $t; done | wc -l").strip())
                .as("data disk and python3, mkfs.xfs, sgdisk, parted").isEqualTo("4");
    }

    @Test
    @Order(2)
    void noDockerdRunsAndNoDockerVolumeExists() {
        Commands.Result dockerd = Commands.run(List.of("docker", "exec", NAME + "-node1", "pgrep", "-x", "dockerd"), line -> { });
        assertThat(dockerd.exitCode()).as("pgrep dockerd inside the node: " + dockerd.stdout()).isNotZero();
        String volumes = Commands.run(List.of("docker", "volume", "ls", "-q", "--filter", "label=dev.rigger.lab=" + NAME),
                line -> { }).orThrow().stdout();
        assertThat(volumes).as("volumes of the lab").isBlank();
    }

    @Test
    @Order(3)
    void aSecondUpKeepsTheSameContainer() {
        LabInventory again = lab.up(line -> { });
        assertThat(again.nodes().get(0).containerId()).isEqualTo(inventory.nodes().get(0).containerId());
    }

    @Test
    @Order(4)
    void replaceDiskWorksWithoutWaitingForADockerdThatNeverComes() {
        exec("sh", "-c", "echo marker | dd of=/dev/xvdf bs=512 count=1 conv=notrunc 2>/dev/null");
        lab.replaceDisk("node1");
        assertThat(exec("sh", "-c", "head -c 6 /dev/xvdf | od -An -c | tr -d ' '").strip())
                .as("first bytes of the new disk").isEqualTo("\\0\\0\\0\\0\\0\\0");
        assertThat(Commands.run(List.of("docker", "exec", NAME + "-node1", "pgrep", "-x", "dockerd"), line -> { })
                .exitCode()).as("still no dockerd after the node was recreated").isNotZero();
    }

    private static String exec(String... command) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", NAME + "-node1"));
        argv.addAll(List.of(command));
        return Commands.run(argv, line -> { }).orThrow().stdout();
    }
}
