package dev.rigger.agent.modules.mount;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FstabLinesTest {
    static final FstabEntry WANTED = new FstabEntry("PARTUUID=abc", "/ecs/uuid-abc", "xfs", "rw,noatime", "0", "0");

    @Test
    void aMissingLineIsAppended() {
        assertThat(MountModule.withLine("# fstab\n/dev/vda / ext4 defaults 0 1\n", WANTED))
                .isEqualTo("# fstab\n/dev/vda / ext4 defaults 0 1\nPARTUUID=abc /ecs/uuid-abc xfs rw,noatime 0 0\n");
    }

    @Test
    void anEqualLineIsKeptAsWrittenEvenWithOtherSpacing() {
        String fstab = "PARTUUID=abc\t/ecs/uuid-abc  xfs rw,noatime 0 0\n";
        assertThat(MountModule.withLine(fstab, WANTED)).isEqualTo(fstab);
    }

    @Test
    void duplicatesCollapseIntoOneLineWhereTheFirstWas() {
        String fstab = "/dev/xvdf1 /ecs/uuid-abc xfs defaults 0 0\n/dev/vda / ext4 defaults 0 1\n/dev/xvdf1 /ecs/uuid-abc xfs defaults 0 0\n";
        assertThat(MountModule.withLine(fstab, WANTED))
                .isEqualTo("PARTUUID=abc /ecs/uuid-abc xfs rw,noatime 0 0\n/dev/vda / ext4 defaults 0 1\n");
    }

    @Test
    void onlyOptionsTheKernelAlwaysShowsCanBeMissing() {
        assertThat(MountModule.missingVisible("rw,noatime,attr2,inode64,noquota", "rw,noatime")).isEmpty();
        assertThat(MountModule.missingVisible("rw,noatime,attr2", "rw,relatime")).containsExactly("noatime");
        assertThat(MountModule.missingVisible("defaults", "ro,relatime")).containsExactly("rw");
    }
}
