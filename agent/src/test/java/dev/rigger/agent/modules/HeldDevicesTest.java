package dev.rigger.agent.modules;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.facts.BlkidFacts;
import dev.rigger.agent.testing.LoopDevice;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.agent.testing.Sh;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destructive steps on devices that another layer uses, or whose contents blkid cannot name, on real loop
 * devices: {@code force: true} is not enough for a held device, and {@code auto} never picks a disk that is
 * mounted, holds a filesystem or holds signatures blkid cannot tell apart.
 */
class HeldDevicesTest {
    static final long MIB = 1024L * 1024;

    @TempDir
    Path tmp;
    LoopDevice loop;
    long size;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("losetup", "sgdisk", "partx", "blkid", "wipefs", "mkfs.xfs", "mkfs.ext4",
                "mount", "umount", "pvcreate", "dd");
        size = (400 + ThreadLocalRandom.current().nextInt(1, 200)) * MIB;
        loop = LoopDevice.create(size);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) {
            loop.close();
        }
    }

    private static void makePhysicalVolume(String device) {
        // no LVM daemon or udev here: pvcreate only writes its label, which is what blkid reports
        Sh.ok("pvcreate", "-ff", "-y", "--config", "devices { obtain_device_list_from_udev = 0 }", device);
        assertThat(BlkidFacts.inspect(device).values()).containsEntry("TYPE", "LVM2_member");
    }

    /** XFS at offset 0 and an ext4 superblock at 1 KiB: blkid -p answers "ambivalent result" (exit 8). */
    private void makeAmbivalent() throws Exception {
        Sh.ok("mkfs.xfs", "-q", "-f", loop.path());
        Path ext4 = tmp.resolve("ext4.img");
        Sh.ok("truncate", "-s", "64M", ext4.toString());
        Sh.ok("mkfs.ext4", "-q", "-F", "-b", "4096", ext4.toString());
        Sh.ok("dd", "if=" + ext4, "of=" + loop.path(), "bs=1024", "skip=1", "seek=1", "count=1", "conv=notrunc", "status=none");
        assertThat(Sh.any("blkid", "-p", loop.path()).exitCode()).as("blkid is not sure").isEqualTo(8);
    }

    @Test
    void partitionRefusesAnLvmPhysicalVolumeWithForceTrueAndTakesItWithForceHeld() {
        makePhysicalVolume(loop.path());
        String before = Sh.ok("sha256sum", loop.path());

        ModuleResult forced = apply("partition", "{\"device\":" + q(loop.path()) + ",\"force\":true}");
        assertThat(forced.status()).as(forced.msg()).isEqualTo(Status.FAILED);
        assertThat(forced.msg()).contains("refusing to partition " + loop.path())
                .contains(loop.path() + " carries a LVM2_member signature").contains("force: \"held\" does");
        assertThat(Sh.ok("sha256sum", loop.path())).as("device untouched").isEqualTo(before);

        ModuleResult held = apply("partition", "{\"device\":" + q(loop.path()) + ",\"force\":\"held\"}");
        assertThat(held.status()).as(held.msg()).isEqualTo(Status.CHANGED);
        assertThat(BlkidFacts.probe(loop.path())).containsEntry("PTTYPE", "gpt").doesNotContainKey("TYPE");
    }

    @Test
    void partitionRefusesADiskWhosePartitionIsAPhysicalVolume() {
        assertThat(apply("partition", "{\"device\":" + q(loop.path()) + "}").status()).isEqualTo(Status.CHANGED);
        makePhysicalVolume(loop.partitionPath());
        Sh.ok("sgdisk", "-n", "2:0:0", loop.path());   // no longer "one GPT partition", so partition would redo it

        ModuleResult forced = apply("partition", "{\"device\":" + q(loop.path()) + ",\"force\":true}");
        assertThat(forced.status()).as(forced.msg()).isEqualTo(Status.FAILED);
        assertThat(forced.msg()).contains(loop.partitionPath() + " carries a LVM2_member signature");
        assertThat(BlkidFacts.inspect(loop.partitionPath()).values()).containsEntry("TYPE", "LVM2_member");
    }

    @Test
    void filesystemRefusesAnLvmPhysicalVolumeWithForceTrueAndTakesItWithForceHeld() {
        makePhysicalVolume(loop.path());
        ModuleResult forced = apply("filesystem", "{\"device\":" + q(loop.path()) + ",\"type\":\"xfs\",\"force\":true}");
        assertThat(forced.status()).as(forced.msg()).isEqualTo(Status.FAILED);
        assertThat(forced.msg()).contains("refusing to create xfs on " + loop.path()).contains("LVM2_member");
        assertThat(BlkidFacts.inspect(loop.path()).values()).containsEntry("TYPE", "LVM2_member");

        ModuleResult held = apply("filesystem", "{\"device\":" + q(loop.path()) + ",\"type\":\"xfs\",\"force\":\"held\"}");
        assertThat(held.status()).as(held.msg()).isEqualTo(Status.CHANGED);
        assertThat(BlkidFacts.inspect(loop.path()).values()).containsEntry("TYPE", "xfs");
    }

    @Test
    void forceTakesOnlyABooleanOrHeld() {
        ModuleResult r = apply("filesystem", "{\"device\":" + q(loop.path()) + ",\"type\":\"xfs\",\"force\":\"yes\"}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains("args.force: expected true, false or \"held\", got \"yes\"");
    }

    @Test
    void signaturesBlkidCannotTellApartAreNotBlank() throws Exception {
        makeAmbivalent();
        String before = Sh.ok("sha256sum", loop.path());

        ModuleResult fs = apply("filesystem", "{\"device\":" + q(loop.path()) + ",\"type\":\"xfs\"}");
        assertThat(fs.status()).as(fs.msg()).isEqualTo(Status.FAILED);
        assertThat(fs.msg()).contains("ambivalent").contains("force: true to override");
        ModuleResult part = apply("partition", "{\"device\":" + q(loop.path()) + "}");
        assertThat(part.status()).as(part.msg()).isEqualTo(Status.FAILED);
        assertThat(part.msg()).contains("ambivalent");
        assertThat(Sh.ok("sha256sum", loop.path())).as("device untouched").isEqualTo(before);
    }

    @Test
    void autoSkipsADiskWithSignaturesBlkidCannotTellApart() throws Exception {
        makeAmbivalent();
        ModuleResult r = apply("disk", "{\"select\":{\"auto\":true,\"size\":" + size + "}}");
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(loop.path() + " (blkid finds more than one signature");
    }

    @Test
    void autoSkipsADiskThatHoldsExt4() {
        Sh.ok("mkfs.ext4", "-q", loop.path());
        ModuleResult r = apply("disk", "{\"select\":{\"auto\":true,\"size\":" + size + "}}");
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(loop.path() + " (holds a ext4 signature");
    }

    @Test
    void autoSkipsAMountedDisk() throws Exception {
        Sh.ok("mkfs.xfs", "-q", loop.path());
        Path mnt = Files.createDirectory(tmp.resolve("busy"));
        Sh.ok("mount", loop.path(), mnt.toString());
        ModuleResult r = apply("disk", "{\"select\":{\"auto\":true,\"size\":" + size + "}}");
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(loop.path() + " (mounted");
    }

    @Test
    void autoNeverTakesASinglePartitionDiskMountedOnASystemDirectoryForOneItPreparedEarlier() throws Exception {
        assertThat(apply("partition", "{\"device\":" + q(loop.path()) + "}").status()).isEqualTo(Status.CHANGED);
        Sh.ok("mkfs.xfs", "-q", loop.partitionPath());
        Path mnt = Files.createDirectories(Path.of("/srv", "held-devices-test-" + ProcessHandle.current().pid()));
        try {
            Sh.ok("mount", loop.partitionPath(), mnt.toString());
            // minSize, not size: only then does auto look for a disk an earlier run prepared
            ModuleResult r = apply("disk", "{\"select\":{\"auto\":true,\"minSize\":" + size + "}}");
            assertThat(r.data().get("path")).as(r.msg()).isNotEqualTo(loop.path());
            assertThat(r.msg()).doesNotContain("already carry one GPT partition each (" + loop.path());
        } finally {
            Sh.any("umount", mnt.toString());
            Files.deleteIfExists(mnt);
        }
    }
}
