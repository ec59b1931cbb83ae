package dev.rigger.ecssim.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {
    private static final List<String> MOUNTINFO = List.of(
            "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
            "301 22 7:5 / /dae/uuid-1 rw,noatime shared:150 - xfs /dev/xvdf1 rw,attr2,inode64,noquota",
            "302 22 7:5 / /disks/uuid-1 rw,noatime shared:150 - xfs /dev/xvdf1 rw,attr2,inode64,noquota",
            "303 22 0:50 / /dae/scratch rw - tmpfs tmpfs rw",
            "304 22 7:6 / /dae/uuid-1/nested rw - xfs /dev/loop6 rw",
            "305 22 7:7 / /data/with\\040space/uuid-2 rw master:3 - xfs /dev/loop7 rw");

    @Test
    void findsXfsMountsDirectlyBelowThePartitionRootOnly() {
        MountTable table = MountTable.parse(MOUNTINFO);

        assertThat(table.mountedDirectlyBelow(Path.of("/dae"), "xfs"))
                .extracting(MountEntry::mountPoint).containsExactly(Path.of("/dae/uuid-1"));
        assertThat(table.mountedDirectlyBelow(Path.of("/disks"), "xfs"))
                .extracting(MountEntry::source).containsExactly("/dev/xvdf1");
    }

    @Test
    void decodesOctalEscapesInMountPoints() {
        MountTable table = MountTable.parse(MOUNTINFO);

        assertThat(table.mountedDirectlyBelow(Path.of("/data/with space"), "xfs"))
                .extracting(MountEntry::mountPoint).containsExactly(Path.of("/data/with space/uuid-2"));
    }

    @Test
    void ignoresLinesWithoutTheOptionalFieldSeparator() {
        assertThat(MountTable.parse(List.of("garbage", "1 2 3:4 / /dae/x rw xfs")).mountedDirectlyBelow(
                Path.of("/dae"), "xfs")).isEmpty();
    }
}
