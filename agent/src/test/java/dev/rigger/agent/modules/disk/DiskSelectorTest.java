package dev.rigger.agent.modules.disk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.protocol.facts.BlockDevice;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiskSelectorTest {
    static BlockDevice disk(String name, String serial, long size, String fs, List<BlockDevice> parts, List<String> mounts) {
        return new BlockDevice(name, "/dev/" + name, "disk", "259:0", size, "Amazon Elastic Block Store", serial,
                false, false, fs, null, null, null, null, mounts, List.of(), parts);
    }

    @Test
    void anEbsVolumeIdMatchesTheNvmeSerialWithOrWithoutTheDash() {
        BlockDevice nvme = disk("nvme1n1", "vol0abc1234def", 1L << 40, null, List.of(), List.of());
        DiskSelector bySerial = new DiskSelector(null, "vol-0abc1234def", null, false, 0);
        assertThat(bySerial.rejections(List.of(nvme))).isEmpty();
        DiskSelector byName = new DiskSelector("/dev/nvme1n1", null, null, false, 0);
        assertThat(byName.rejections(List.of(nvme))).isEmpty();
    }

    @Test
    void autoRejectsEachDiskThatIsNotBlankOrTooSmallAndSaysWhy() {
        BlockDevice root = disk("nvme0n1", "vol0root", 8L << 30, null,
                List.of(disk("nvme0n1p1", null, 8L << 30, "ext4", List.of(), List.of("/"))), List.of());
        BlockDevice small = disk("nvme2n1", "vol0small", 10L << 30, null, List.of(), List.of());
        BlockDevice used = disk("nvme3n1", "vol0used", 200L << 30, "xfs", List.of(), List.of());
        BlockDevice good = disk("nvme1n1", "vol0good", 200L << 30, null, List.of(), List.of());
        var why = new DiskSelector(null, null, null, true, 100L << 30).rejections(List.of(root, small, used, good));
        assertThat(why).doesNotContainKey(good);
        assertThat(why.get(root)).contains("mounted").contains("partitioned");
        assertThat(why.get(small)).contains("smaller than minSize");
        assertThat(why.get(used)).contains("holds a xfs signature");
    }

    @Test
    void aSelectThatIsJustANameSelectsByName() {
        var args = new dev.rigger.agent.modules.ModuleArgs((com.fasterxml.jackson.databind.node.ObjectNode)
                dev.rigger.protocol.ProtocolJson.MAPPER.createObjectNode().put("select", "nvme1n1"));
        BlockDevice nvme = disk("nvme1n1", "vol0abc", 1L << 40, null, List.of(), List.of());
        BlockDevice other = disk("nvme2n1", "vol0def", 1L << 40, null, List.of(), List.of());
        var why = DiskSelector.from(args).rejections(List.of(nvme, other));
        assertThat(why).doesNotContainKey(nvme).containsKey(other);
    }

    @Test
    void autoOnASecondRunFindsTheDiskItPartitionedNotABlankOneAttachedSince() {
        BlockDevice part = disk("nvme1n1p1", null, 200L << 30, "xfs", List.of(), List.of("/ecs/uuid-1"));
        BlockDevice prepared = new BlockDevice("nvme1n1", "/dev/nvme1n1", "disk", "259:0", 200L << 30, "m", "vol0a",
                false, false, null, null, null, null, "gpt", List.of(), List.of(), List.of(part));
        BlockDevice blank = disk("nvme2n1", "vol0b", 200L << 30, null, List.of(), List.of());
        DiskSelector auto = new DiskSelector(null, null, null, true, 100L << 30);

        assertThat(auto.preparedEarlier(List.of(prepared, blank))).containsExactly(prepared);
        assertThat(auto.preparedEarlier(List.of(blank))).isEmpty();
        assertThat(new DiskSelector("nvme2n1", null, null, false, 0).preparedEarlier(List.of(prepared, blank)))
                .as("only auto looks for an earlier choice").isEmpty();
    }

    @Test
    void aSinglePartitionSystemDiskIsNeverTakenForOnePreparedEarlier() {
        BlockDevice rootPart = disk("nvme0n1p1", null, 200L << 30, "ext4", List.of(), List.of("/"));
        BlockDevice root = new BlockDevice("nvme0n1", "/dev/nvme0n1", "disk", "259:0", 200L << 30, "m", "vol0r",
                false, false, null, null, null, null, "gpt", List.of(), List.of(), List.of(rootPart));
        BlockDevice varPart = disk("nvme2n1p1", null, 200L << 30, "xfs", List.of(), List.of("/var/lib/docker"));
        BlockDevice docker = new BlockDevice("nvme2n1", "/dev/nvme2n1", "disk", "259:2", 200L << 30, "m", "vol0d",
                false, false, null, null, null, null, "gpt", List.of(), List.of(), List.of(varPart));
        DiskSelector auto = new DiskSelector(null, null, null, true, 100L << 30);

        assertThat(auto.preparedEarlier(List.of(root, docker))).isEmpty();
        assertThat(DiskSelector.isSystemMount("/ecs/uuid-1")).isFalse();
        assertThat(DiskSelector.isSystemMount("/")).isTrue();
        assertThat(DiskSelector.isSystemMount("/boot/efi")).isTrue();
    }

    @Test
    void autoRejectsAHeldDisk() {
        BlockDevice held = new BlockDevice("nvme1n1", "/dev/nvme1n1", "disk", "259:1", 200L << 30, "m", "vol0h",
                false, false, null, null, null, null, null, List.of(), List.of("dm-0"), List.of());
        assertThat(new DiskSelector(null, null, null, true, 0).rejections(List.of(held)).get(held)).contains("held by dm-0");
    }
}
