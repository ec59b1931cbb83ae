package dev.rigger.agent.modules.preallocate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.testing.Modules;
import org.junit.jupiter.api.Test;

/** The text preallocate reads from xfs_io, xfs_db and xfs_repair (as xfsprogs 6.1 prints it), and its arguments. */
class PreallocateParsingTest {
    @Test
    void fiemapCountsUnwrittenExtentsAndAllocatedBytesButNotHoles() {
        Fiemap map = Fiemap.parse("""
                holey:
                 EXT: FILE-OFFSET      BLOCK-RANGE          TOTAL FLAGS
                   0: [0..127]:        170432656..170432783   128 0x800
                   1: [128..255]:      hole                   128
                   2: [256..263]:      58471128..58471135       8   0x1
                   3: [264..511]:      hole                   248
                """);
        assertThat(map).isEqualTo(new Fiemap(136 * 512, 2, 1));
        assertThat(Fiemap.parse("mnt/0000:\n EXT: FILE-OFFSET      BLOCK-RANGE       TOTAL FLAGS\n"
                + "   0: [0..524287]:     192..524479      524288 0x801\n")).isEqualTo(new Fiemap(268435456, 1, 1));
    }

    @Test
    void inodeForksAreReadPerMarkerAndABtreeForkHasNoExtentRecords() {
        String out = """
                @@ 0001
                core.format = 2 (extents)
                core.nextents = 5
                v3.inumber = 134
                v3.crc = 0xef877167 (correct)
                u3.bmx[0-4] = [startoff,startblock,blockcount,extentflag]\s
                0:[0,65560,16,1]\s
                1:[16,65576,1,0]\s
                2:[17,65577,16,1]\s
                3:[33,65593,1,0]\s
                4:[34,65594,16,1]
                @@ 0002
                core.format = 3 (btree)
                core.nextents = 82
                v3.inumber = 133
                v3.crc = 0x2574390f (correct)
                @@ 0003
                """;
        var forks = InodeFork.parseAll(out);
        assertThat(forks).containsOnlyKeys("0001", "0002");
        InodeFork one = forks.get("0001");
        assertThat(one.inInode()).isTrue();
        assertThat(one.crcCorrect()).isTrue();
        assertThat(one.extents()).hasSize(5);
        assertThat(one.unwritten()).extracting(InodeFork.Extent::index).containsExactly(0, 2, 4);
        InodeFork two = forks.get("0002");
        assertThat(two.inInode()).isFalse();
        assertThat(two.formatName()).isEqualTo("btree");
        assertThat(two.extents()).isEmpty();
    }

    @Test
    void aBadCrcIsSeen() {
        InodeFork f = InodeFork.parse("core.format = 2 (extents)\ncore.nextents = 0\nv3.inumber = 9\nv3.crc = 0x1 (bad)\n");
        assertThat(f.crcCorrect()).isFalse();
    }

    @Test
    void theRootListingMapsNamesToInodes() {
        assertThat(InodeFork.parseRootListing("""
                /:
                8          128                directory      0x0000002e   1 . (good)
                10         128                directory      0x0000172e   2 .. (good)
                12         131                regular        0x060c1830   4 0000 (good)
                18         134                regular        0xdebb3a6f   5 multi (good)
                """)).containsEntry("0000", 131L).containsEntry("multi", 134L).containsEntry("..", 128L);
    }

    @Test
    void repairFindingsLeaveOutThePhaseBanners() {
        String text = "Phase 1 - find and verify superblock...\n        - scan filesystem freespace and inode maps...\n"
                + "Metadata CRC error detected at 0x55cc, xfs_inode block 0xf4220/0x4000\n"
                + "bad CRC for inode 131\nNo modify flag set, skipping phase 5\n";
        assertThat(RepairCheckStep.findings(text))
                .isEqualTo("\"Metadata CRC error detected at 0x55cc, xfs_inode block 0xf4220/0x4000 | bad CRC for inode 131\"");
    }

    @Test
    void binSizeIsANumberOfGibWithFractionsOrASizeString() {
        assertThat(options("{\"path\":\"/ecs/uuid-1\"}").binSizeBytes()).isEqualTo(10L << 30);
        assertThat(options("{\"path\":\"/ecs/uuid-1\",\"binSizeGiB\":0.25}").binSizeBytes()).isEqualTo(256L << 20);
        assertThat(options("{\"path\":\"/ecs/uuid-1\",\"binSize\":\"256M\"}").binSizeBytes()).isEqualTo(256L << 20);
        assertThat(options("{\"path\":\"/ecs/uuid-1/\",\"binSizeGiB\":10,\"spare\":0}"))
                .returns("/ecs/uuid-1", PreallocateOptions::path).returns(0, PreallocateOptions::spare);
        assertThatThrownBy(() -> options("{\"path\":\"/ecs/uuid-1\",\"binSizeGiB\":\"256M\"}"))
                .isInstanceOf(ArgsException.class).hasMessageStartingWith("args.binSizeGiB: expected a number of GiB");
        assertThatThrownBy(() -> options("{\"path\":\"/ecs/uuid-1\",\"binSizeGiB\":0.1}"))
                .hasMessageContaining("not a whole number of bytes");
        assertThatThrownBy(() -> options("{\"path\":\"/ecs/uuid-1\",\"binSizeGiB\":1,\"binSize\":\"1G\"}"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> options("{\"path\":\"/ecs/uuid-1\",\"spare\":-1}")).hasMessageStartingWith("args.spare");
        assertThatThrownBy(() -> options("{\"path\":\"ecs\"}")).hasMessageStartingWith("args.path");
    }

    @Test
    void binsAreNamedWithFourDigitsAndListedAsARange() {
        assertThat(BinFile.nameOf(7)).isEqualTo("0007");
        assertThat(BinFile.nameOf(12345)).isEqualTo("12345");
        assertThat(Bins.range(java.util.List.of("0000", "0001", "0002"))).isEqualTo("0000..0002");
        assertThat(Bins.range(java.util.List.of("0003", "0007"))).isEqualTo("0003, 0007");
    }

    @Test
    void mountingAgainUsesTheFstabLineOrTheOptionsItHad() {
        assertThat(MountAgain.byFstab("/ecs/uuid-1", PreallocateOptions.DEFAULT_FSTAB).argv())
                .containsExactly("mount", "/ecs/uuid-1");
        assertThat(MountAgain.byFstab("/ecs/uuid-1", java.nio.file.Path.of("/etc/fstab.lab")).argv())
                .containsExactly("mount", "--fstab", "/etc/fstab.lab", "/ecs/uuid-1");
        assertThat(MountAgain.byOptions("/ecs/uuid-1", "/dev/xvdf1", "xfs", "rw,noatime,inode64", "x").argv())
                .containsExactly("mount", "-t", "xfs", "-o", "rw,noatime,inode64", "/dev/xvdf1", "/ecs/uuid-1");
    }

    private static PreallocateOptions options(String json) {
        return PreallocateOptions.parse(Modules.args(json));
    }
}
