package dev.rigger.lab;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bare node image as dockerd holds it (built from this machine's Debian mirror if missing). */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BareNodeImageTest {
    private String image;

    @BeforeAll
    void buildTheBareImage() {
        LabPrerequisites.require();
        DebianMirrorFacts mirror = DebianMirrorFacts.ofThisMachine();
        try (LabDocker docker = LabDocker.connect()) {
            image = new NodeImageBuilder(docker, line -> { }).ensure(NodeImageRecipe.bare(mirror.suite()), mirror);
        }
    }

    @Test
    void hasSshdPythonAndAptButNoDockerXfsprogsPartitioningToolsOrJava() {
        String found = inImage("for p in sshd python3 apt-get dpkg ip; do command -v $p || echo missing $p; done;"
                + " for p in dockerd docker containerd runc mkfs.xfs xfs_growfs parted sgdisk gdisk fdisk java; do"
                + " command -v $p && echo present $p; done; true");
        assertThat(found).as("what a minimal cloud image has").doesNotContain("missing")
                .contains("/usr/sbin/sshd", "/usr/bin/python3", "/usr/bin/apt-get");
        assertThat(found).as("what a playbook has to install").doesNotContain("present");
    }

    @Test
    void keepsTheLabsStandInsForAVmsKernelButStartsNoDockerd() {
        assertThat(inImage("cat " + NodeImageRecipe.DOCKER_DAEMON_CONFIG_PATH))
                .contains("\"default-runtime\": \"rigger-lab\"");
        assertThat(inImage("test -x " + NodeImageRecipe.RUNC_WRAPPER_PATH + " && test -x "
                + NodeImageRecipe.KERNEL_RW_STEP_PATH + " && ls " + NodeImageRecipe.INIT_STEPS_DIR).strip())
                .as("init steps").isEqualTo("10-kernel-rw");
    }

    @Test
    void aptSourcesPointAtThisMachinesMirrorAndSuite() {
        DebianMirrorFacts mirror = DebianMirrorFacts.ofThisMachine();
        assertThat(inImage("cat /etc/apt/sources.list")).contains(mirror.mirror() + " " + mirror.suite() + " main");
    }

    private String inImage(String script) {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "none", image, "sh", "-c",
                script));
        return Commands.run(argv, line -> { }).orThrow().stdout();
    }
}
