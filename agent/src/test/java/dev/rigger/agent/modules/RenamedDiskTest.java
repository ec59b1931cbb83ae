package dev.rigger.agent.modules;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.testing.LoopDevice;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.agent.testing.Sh;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.facts.BlockDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's situation on this machine: the disk is a loop device that /dev also knows under another name
 * (a lab node sees /dev/xvdf), and nothing creates a node for that name's partition (no udev).
 */
class RenamedDiskTest {
    @TempDir
    Path tmp;
    LoopDevice loop;
    String alias;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("losetup", "sgdisk", "partx", "blkid", "mknod", "mkfs.xfs", "mount");
        loop = LoopDevice.create(400L * 1024 * 1024);
        // a name ending in a letter, like xvdf, that nothing else on this machine uses
        alias = "/dev/rgtst" + (char) ('a' + ThreadLocalRandom.current().nextInt(26)) + (char) ('a' + ThreadLocalRandom.current().nextInt(26));
        String[] mm = BlockDeviceFacts.majMin(Path.of(loop.path())).split(":");
        Sh.ok("mknod", alias, "b", mm[0], mm[1]);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) {
            loop.close();
        }
        if (alias != null) {
            Files.deleteIfExists(Path.of(alias));
            Files.deleteIfExists(Path.of(alias + "1"));
        }
    }

    @Test
    void theDiskIsReportedAndPreparedUnderItsDevName() throws Exception {
        String name = alias.substring(5);
        BlockDevice seen = BlockDeviceFacts.find(BlockDeviceFacts.collect(), name).orElseThrow();
        assertThat(seen.path()).isEqualTo(alias);
        assertThat(seen.type()).isEqualTo("disk");
        assertThat(seen.sizeBytes()).isEqualTo(400L * 1024 * 1024);
        assertThat(BlockDeviceFacts.find(BlockDeviceFacts.collect(), loop.path()))
                .as("one device, listed once, under the name given on purpose").isEmpty();

        ModuleResult disk = apply("disk", "{\"select\":{\"name\":" + q(name) + "}}");
        assertThat(disk.data()).containsEntry("path", alias);

        ModuleResult part = apply("partition", "{\"device\":" + q(alias) + "}");
        assertThat(part.status()).as(part.msg()).isEqualTo(Status.CHANGED);
        assertThat(part.data()).containsEntry("path", alias + "1");
        assertThat(BlockDeviceFacts.majMin(Path.of(alias + "1"))).as("made by mknod from sysfs")
                .isEqualTo(BlockDeviceFacts.majMin(Path.of(loop.partitionPath())));

        ModuleResult fs = apply("filesystem", "{\"device\":" + q(alias + "1") + ",\"type\":\"xfs\"}");
        assertThat(fs.status()).as(fs.msg()).isEqualTo(Status.CHANGED);
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        // mounted through the kernel's name: facts still tie the mount to the renamed partition by device number
        Sh.ok("mount", loop.partitionPath(), mnt.toString());
        BlockDevice after = BlockDeviceFacts.find(BlockDeviceFacts.collect(), name).orElseThrow();
        assertThat(after.ptType()).isEqualTo("gpt");
        assertThat(after.partitions()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(alias + "1");
            assertThat(p.fsType()).isEqualTo("xfs");
            assertThat(p.partuuid()).isEqualTo(part.data().get("partuuid"));
            assertThat(p.mountpoints()).containsExactly(mnt.toString());
        });
        ModuleResult mount = apply("mount", "{\"device\":" + q(alias + "1") + ",\"path\":" + q(mnt.toString())
                + ",\"type\":\"xfs\",\"options\":\"rw\",\"fstabPath\":" + q(tmp.resolve("fstab").toString()) + "}");
        assertThat(mount.msg()).as("already mounted from the same device; only fstab changes").doesNotContain("mount /");
        assertThat(apply("partition", "{\"device\":" + q(alias) + "}").changed()).isFalse();
    }

    @Test
    void tasksOnADisksOtherNameOrOnItsPartitionShareOneSerialKey() {
        assertThat(apply("partition", "{\"device\":" + q(alias) + "}").status()).isEqualTo(Status.CHANGED);
        String onAlias = dev.rigger.agent.TaskDispatcherKeys.of("filesystem", alias);
        assertThat(dev.rigger.agent.TaskDispatcherKeys.of("partition", loop.path())).isEqualTo(onAlias);
        assertThat(dev.rigger.agent.TaskDispatcherKeys.of("filesystem", alias + "1")).isEqualTo(onAlias);
    }
}
