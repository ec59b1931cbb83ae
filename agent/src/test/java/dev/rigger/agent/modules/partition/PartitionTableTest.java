package dev.rigger.agent.modules.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.facts.Fixtures;
import org.junit.jupiter.api.Test;

class PartitionTableTest {
    @Test
    void partxOutputGivesNumberLowerCasePartuuidAndName() {
        assertThat(PartitionTable.parse(Fixtures.read("modules/partition/partx-gpt.txt"))).containsExactly(
                new PartitionTable.Entry(1, "24af1723-57a8-40b1-af5d-89e3f3dd8d01", "xfs"),
                new PartitionTable.Entry(2, "b7d9252d-5e23-4710-8135-89b41c5b6ca0", "ecs data"));
        assertThat(PartitionTable.parse("")).isEmpty();
    }

    @Test
    void partitionNamesFollowTheKernelsNaming() {
        assertThat(BlockDeviceFacts.partitionPath("/dev/xvdf", 1)).isEqualTo("/dev/xvdf1");
        assertThat(BlockDeviceFacts.partitionPath("/dev/nvme1n1", 1)).isEqualTo("/dev/nvme1n1p1");
        assertThat(BlockDeviceFacts.partitionPath("/dev/mmcblk0", 1)).isEqualTo("/dev/mmcblk0p1");
        assertThat(BlockDeviceFacts.partitionPath("/dev/loop3", 1)).isEqualTo("/dev/loop3p1");
    }
}
