package dev.rigger.agent.modules.preallocate;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.testing.LoopDevice;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.agent.testing.Sh;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While preallocate has the filesystem offline, whoever may write the mount point's parent could put a link
 * in its place: mounting again must not follow it.
 */
class PreallocateMountPointTest {
    @TempDir
    Path tmp;
    LoopDevice loop;
    Path mnt;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("losetup", "mkfs.xfs", "mount", "umount");
        loop = LoopDevice.create(1L << 30);
        Sh.ok("mkfs.xfs", "-q", loop.path());
        mnt = Files.createDirectory(tmp.resolve("uuid-test"));
        Sh.ok("mount", loop.path(), mnt.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) {
            loop.close();
        }
        if (mnt != null) {
            RemountNote.delete(mnt.toString());
        }
    }

    @Test
    void aMountPointReplacedByALinkWhileUnmountedIsNotMountedThrough() throws Exception {
        Path fstab = Files.writeString(tmp.resolve("fstab"), loop.path() + " " + mnt + " xfs rw,noatime 0 0\n");
        Sh.ok("umount", mnt.toString());
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.delete(mnt);
        Files.createSymbolicLink(mnt, elsewhere);

        ModuleResult r = apply("preallocate", "{\"path\":" + q(mnt.toString()) + ",\"binSizeGiB\":0.25,\"fstabPath\":"
                + q(fstab.toString()) + "}");

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(mnt + " is a symbolic link");
        assertThat(Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(l -> l.split(" ")[0]))
                .as("the filesystem is mounted nowhere").doesNotContain(loop.path());
    }
}
