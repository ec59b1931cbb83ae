package dev.rigger.agent.modules;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.check;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.facts.BlkidFacts;
import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.testing.LoopDevice;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.agent.testing.Sh;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** disk, partition, filesystem and mount on a real loop device, through the runner as the bridge runs them. */
class BlockModulesTest {
    static final long MIB = 1024L * 1024;

    @TempDir
    Path tmp;
    LoopDevice loop;
    long size;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("losetup", "sgdisk", "parted", "partx", "blkid", "wipefs", "mknod",
                "mkfs.xfs", "mkfs.ext4", "mount", "umount");
        // a size no other loop device on this machine is likely to have, so size selectors find this one
        size = (400 + ThreadLocalRandom.current().nextInt(1, 200)) * MIB;
        loop = LoopDevice.create(size);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void diskSelectsTheDeviceByNameAndByAutoWithASize() {
        ModuleResult byName = apply("disk", "{\"select\":{\"name\":" + q(loop.path()) + "}}");
        assertThat(byName.status()).as(byName.msg()).isEqualTo(Status.OK);
        assertThat(byName.data()).containsEntry("path", loop.path()).containsEntry("sizeBytes", size);

        ModuleResult auto = apply("disk", "{\"select\":{\"auto\":true,\"size\":" + size + "}}");
        assertThat(auto.status()).as(auto.msg()).isEqualTo(Status.OK);
        assertThat(auto.data()).containsEntry("path", loop.path());
        assertThat(auto.changed()).isFalse();
    }

    @Test
    void diskFailsNamingTheSelectorAndListingTheDisksSeen() {
        ModuleResult r = apply("disk", "{\"select\":{\"name\":\"xvdq\"}}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains("name=xvdq").contains(loop.path());
    }

    @Test
    void autoRejectsAPartitionedDiskAndSaysWhy() {
        Sh.ok("sgdisk", "-o", "-n", "1:0:0", loop.path());
        ModuleResult r = apply("disk", "{\"select\":{\"auto\":true,\"size\":" + size + "}}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(loop.path()).contains("partitioned");
    }

    @Test
    void partedAndSgdiskWriteTheSameLabelAndPartition() {
        for (String parted : new String[] {"parted", null}) {
            Sh.ok("wipefs", "-a", loop.path());
            Sh.ok(dev.rigger.agent.modules.partition.PartitionModule.labelCommand(loop.path(), "xfs", parted)
                    .toArray(String[]::new));
            String tool = parted != null ? "parted" : "sgdisk";
            assertThat(Sh.ok("partx", "--raw", "--noheadings", "-o", "NR,START,TYPE,NAME", loop.path()).strip())
                    .as(tool + ": one partition at 1 MiB, of type Linux filesystem, named xfs")
                    .isEqualTo("1 2048 0fc63daf-8483-4772-8e79-3d69d8477de4 xfs");
        }
    }

    @Test
    void preparesADiskAndASecondRunChangesNothing() throws Exception {
        Path fstab = Files.writeString(tmp.resolve("fstab"), "# static file system information\nproc /proc proc defaults 0 0\n");
        String partArgs = "{\"device\":" + q(loop.path()) + ",\"name\":\"xfs\"}";

        ModuleResult part = apply("partition", partArgs);
        assertThat(part.status()).as(part.msg()).isEqualTo(Status.CHANGED);
        assertThat(part.data()).containsEntry("path", loop.partitionPath()).containsEntry("number", 1);
        String partuuid = (String) part.data().get("partuuid");
        assertThat(partuuid).as("the PARTUUID blkid reads").isEqualTo(BlkidFacts.probe(loop.partitionPath()).get("PART_ENTRY_UUID"));

        String fsArgs = "{\"device\":" + q(loop.partitionPath()) + ",\"type\":\"xfs\"}";
        ModuleResult fs = apply("filesystem", fsArgs);
        assertThat(fs.status()).as(fs.msg()).isEqualTo(Status.CHANGED);
        assertThat(fs.data().get("uuid")).isEqualTo(BlkidFacts.probe(loop.partitionPath()).get("UUID"));

        Path mnt = tmp.resolve("uuid-" + partuuid);
        String mountArgs = "{\"device\":" + q(loop.partitionPath()) + ",\"path\":" + q(mnt.toString())
                + ",\"type\":\"xfs\",\"options\":\"rw,noatime,attr2,inode64,noquota\",\"fstabPath\":" + q(fstab.toString()) + "}";
        ModuleResult mount = apply("mount", mountArgs);
        assertThat(mount.status()).as(mount.msg()).isEqualTo(Status.CHANGED);
        assertThat(mount.data()).containsEntry("source", "PARTUUID=" + partuuid);
        assertThat(mountedAt(mnt)).as("mounted").isTrue();

        for (String[] again : List.of(new String[] {"partition", partArgs}, new String[] {"filesystem", fsArgs},
                new String[] {"mount", mountArgs})) {
            ModuleResult r = apply(again[0], again[1]);
            assertThat(r.status()).as(again[0] + " second run: " + r.msg()).isEqualTo(Status.OK);
            assertThat(r.changed()).isFalse();
        }
        List<String> lines = Files.readAllLines(fstab);
        assertThat(lines).as("fstab keeps its lines and gains exactly one")
                .containsExactly("# static file system information", "proc /proc proc defaults 0 0",
                        "PARTUUID=" + partuuid + " " + mnt + " xfs rw,noatime,attr2,inode64,noquota 0 0");
    }

    @Test
    void checkModeOnABlankDiskChangesNothing() {
        ModuleResult part = check("partition", "{\"device\":" + q(loop.path()) + "}");
        assertThat(part.status()).isEqualTo(Status.CHANGED);
        assertThat(part.msg()).startsWith("would ");
        assertThat(part.data()).containsEntry("partuuid", Plan.KNOWN_AFTER_APPLY);

        ModuleResult fs = check("filesystem", "{\"device\":" + q(loop.partitionPath()) + ",\"type\":\"xfs\"}");
        assertThat(fs.status()).as(fs.msg()).isEqualTo(Status.CHANGED);
        assertThat(fs.msg()).isEqualTo("would create xfs on " + loop.partitionPath());

        ModuleResult fsWhole = check("filesystem", "{\"device\":" + q(loop.path()) + ",\"type\":\"xfs\"}");
        assertThat(fsWhole.status()).isEqualTo(Status.CHANGED);

        assertThat(Sh.any("blkid", "-p", loop.path()).exitCode()).as("blkid finds no signature after check mode").isEqualTo(2);
        assertThat(Files.exists(Path.of(loop.partitionPath()))).isFalse();
    }

    @Test
    void aRealRunFailsByNameWhereCheckModeSaidTheDeviceWouldAppear() {
        ModuleResult fs = apply("filesystem", "{\"device\":" + q(loop.partitionPath()) + ",\"type\":\"xfs\"}");
        assertThat(fs.status()).isEqualTo(Status.FAILED);
        assertThat(fs.msg()).contains(loop.partitionPath()).contains("does not exist");
    }

    @Test
    void filesystemRefusesADeviceThatHoldsExt4WithAFile() throws Exception {
        Sh.ok("mkfs.ext4", "-q", loop.path());
        Path mnt = Files.createDirectory(tmp.resolve("ext4"));
        Sh.ok("mount", loop.path(), mnt.toString());
        Files.writeString(mnt.resolve("precious"), "data that must survive\n");
        Sh.ok("umount", mnt.toString());
        String before = Sh.ok("sha256sum", loop.path());

        ModuleResult r = apply("filesystem", "{\"device\":" + q(loop.path()) + ",\"type\":\"xfs\"}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains("device " + loop.path() + " holds a ext4 filesystem");
        assertThat(Sh.ok("sha256sum", loop.path())).as("device untouched").isEqualTo(before);
        Sh.ok("mount", loop.path(), mnt.toString());
        assertThat(Files.readString(mnt.resolve("precious"))).isEqualTo("data that must survive\n");
    }

    @Test
    void filesystemNeverFormatsAMountedDeviceEvenWithForce() throws Exception {
        Sh.ok("mkfs.ext4", "-q", loop.path());
        Path mnt = Files.createDirectory(tmp.resolve("busy"));
        Sh.ok("mount", loop.path(), mnt.toString());
        ModuleResult r = apply("filesystem", "{\"device\":" + q(loop.path()) + ",\"type\":\"xfs\",\"force\":true}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(loop.path()).contains("mounted at " + mnt);
        assertThat(BlkidFacts.probe(loop.path())).containsEntry("TYPE", "ext4");
    }

    @Test
    void filesystemWithForceReplacesAnotherSignature() {
        Sh.ok("mkfs.ext4", "-q", loop.path());
        ModuleResult r = apply("filesystem", "{\"device\":" + q(loop.path()) + ",\"type\":\"xfs\",\"force\":true}");
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(BlkidFacts.probe(loop.path())).containsEntry("TYPE", "xfs");
    }

    @Test
    void partitionRefusesADiskThatHoldsAFilesystemUnlessForced() {
        Sh.ok("mkfs.xfs", "-q", loop.path());
        ModuleResult r = apply("partition", "{\"device\":" + q(loop.path()) + "}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(loop.path()).contains("xfs signature");

        ModuleResult forced = apply("partition", "{\"device\":" + q(loop.path()) + ",\"force\":true}");
        assertThat(forced.status()).as(forced.msg()).isEqualTo(Status.CHANGED);
        assertThat(BlkidFacts.probe(loop.path())).containsEntry("PTTYPE", "gpt").doesNotContainKey("TYPE");
    }

    @Test
    void partitionRecreatesAMissingDeviceNodeOnALaterRun() throws Exception {
        assertThat(apply("partition", "{\"device\":" + q(loop.path()) + "}").status()).isEqualTo(Status.CHANGED);
        String majMin = BlockDeviceFacts.majMin(Path.of(loop.partitionPath()));
        assertThat(majMin).isNotNull();
        Files.delete(Path.of(loop.partitionPath()));   // what a container restart without udev leaves

        ModuleResult again = apply("partition", "{\"device\":" + q(loop.path()) + "}");
        assertThat(again.status()).as(again.msg()).isEqualTo(Status.CHANGED);
        assertThat(BlockDeviceFacts.majMin(Path.of(loop.partitionPath()))).isEqualTo(majMin);
        assertThat(apply("partition", "{\"device\":" + q(loop.path()) + "}").changed()).isFalse();
    }

    @Test
    void mountReplacesDifferingAndDuplicateFstabLinesWithOne() throws Exception {
        Sh.ok("mkfs.xfs", "-q", loop.path());
        Path mnt = tmp.resolve("data");
        Path fstab = Files.writeString(tmp.resolve("fstab"), "/dev/sdz1 " + mnt + " ext4 defaults 0 0\n"
                + "/dev/vda / ext4 defaults 0 1\n" + "/dev/sdy1 " + mnt + " xfs defaults 0 0\n");
        ModuleResult r = apply("mount", "{\"device\":" + q(loop.path()) + ",\"path\":" + q(mnt.toString())
                + ",\"type\":\"xfs\",\"options\":\"noatime\",\"fstabSource\":\"device\",\"fstabPath\":" + q(fstab.toString()) + "}");
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(Files.readAllLines(fstab)).containsExactly(loop.path() + " " + mnt + " xfs noatime 0 0", "/dev/vda / ext4 defaults 0 1");

        ModuleResult off = apply("mount", "{\"path\":" + q(mnt.toString()) + ",\"state\":\"absent\",\"fstabPath\":" + q(fstab.toString()) + "}");
        assertThat(off.status()).as(off.msg()).isEqualTo(Status.CHANGED);
        assertThat(mountedAt(mnt)).isFalse();
        assertThat(Files.readAllLines(fstab)).containsExactly("/dev/vda / ext4 defaults 0 1");
    }

    @Test
    void mountRemountsWhenAnOptionTheKernelShowsIsMissing() throws Exception {
        Sh.ok("mkfs.xfs", "-q", loop.path());
        Path mnt = Files.createDirectory(tmp.resolve("opts"));
        Sh.ok("mount", "-o", "relatime", loop.path(), mnt.toString());
        String args = "{\"device\":" + q(loop.path()) + ",\"path\":" + q(mnt.toString())
                + ",\"type\":\"xfs\",\"options\":\"rw,noatime,attr2\",\"fstab\":false}";
        ModuleResult r = apply("mount", args);
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).contains("remount").contains("noatime");
        assertThat(apply("mount", args).changed()).as("attr2 is not shown by the kernel and is not compared").isFalse();
    }

    @Test
    void mountFindsADeviceGivenByUuidAndUnmountsWithoutTouchingFstab() throws Exception {
        Sh.ok("mkfs.xfs", "-q", loop.path());
        String uuid = BlkidFacts.probe(loop.path()).get("UUID");
        Path mnt = tmp.resolve("byuuid");
        Path fstab = tmp.resolve("fstab");
        ModuleResult r = apply("mount", "{\"device\":\"UUID=" + uuid + "\",\"path\":" + q(mnt.toString())
                + ",\"type\":\"xfs\",\"fstabPath\":" + q(fstab.toString()) + "}");
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(Files.readString(fstab)).isEqualTo("UUID=" + uuid + " " + mnt + " xfs defaults 0 0\n");
        assertThat(mountedAt(mnt)).isTrue();

        ModuleResult off = apply("mount", "{\"path\":" + q(mnt.toString()) + ",\"state\":\"unmounted\",\"fstabPath\":" + q(fstab.toString()) + "}");
        assertThat(off.status()).as(off.msg()).isEqualTo(Status.CHANGED);
        assertThat(mountedAt(mnt)).isFalse();
        assertThat(Files.readString(fstab)).as("unmounted keeps the fstab line").contains("UUID=" + uuid);
    }

    @Test
    void mountInCheckModeOnADeviceThatDoesNotExistYetSaysItWouldMount() {
        ModuleResult r = check("mount", "{\"device\":" + q(loop.partitionPath()) + ",\"path\":" + q(tmp.resolve("m").toString())
                + ",\"type\":\"xfs\",\"fstabPath\":" + q(tmp.resolve("fstab").toString()) + "}");
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).startsWith("would mount " + loop.partitionPath());
        assertThat(Files.exists(tmp.resolve("fstab"))).isFalse();
    }

    private static boolean mountedAt(Path mnt) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.split(" ")[1].equals(mnt.toString()));
    }
}
