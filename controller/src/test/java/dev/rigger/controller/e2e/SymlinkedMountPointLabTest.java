package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ECS's user (uid 444) owns {@code /ecs}, where prepare-hosts mounts the data disk. After a restart has
 * left the disk unmounted, that user replaces the mount point with a link to {@code /etc}: the next run
 * must refuse to mount through it, naming the link, and leave /etc as it was.
 */
@Tag("lab")
class SymlinkedMountPointLabTest {
    private static LabRun cluster;

    @BeforeAll
    static void labUp() throws IOException {
        cluster = new LabRun("disks-mountpoint", 1, "prepare-hosts.json");
    }

    @AfterAll
    static void labDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMountPointTheEcsUserReplacedWithALinkToEtcIsRefused() {
        CliRun first = cluster.play();
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        Node node = cluster.node("node1");
        String mountpoint = "/ecs/uuid-" + node.sh("blkid -p -s PART_ENTRY_UUID -o value /dev/xvdf1");
        node.sh("umount " + mountpoint);
        node.sh("chroot --userspec=444:444 / sh -c 'rmdir " + mountpoint + " && ln -s /etc " + mountpoint + "'");
        String before = node.sh("sha256sum /etc/fstab; cut -d' ' -f3- /proc/self/mountinfo | sort; ls -la /etc | sha256sum");

        CliRun run = cluster.play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isNotZero();
        assertThat(run.out()).containsPattern("failed: \\[node1\\].*" + mountpoint + " is a symbolic link \\(to /etc\\)");
        assertThat(node.run("findmnt -rn /etc").exit()).as("nothing mounted on /etc").isNotZero();
        assertThat(node.run("findmnt -rn -S /dev/xvdf1").exit()).as("the data disk is not mounted").isNotZero();
        assertThat(node.sh("sha256sum /etc/fstab; cut -d' ' -f3- /proc/self/mountinfo | sort; ls -la /etc | sha256sum"))
                .as("fstab, mounts and /etc unchanged").isEqualTo(before);
    }
}
