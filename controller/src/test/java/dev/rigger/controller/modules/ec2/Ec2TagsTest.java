package dev.rigger.controller.modules.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

class Ec2TagsTest {

    @Test
    void nodeNamesRoundTripOnlyForTheirOwnCluster() {
        assertThat(Ec2Tags.nodeName("ecs1", 2)).isEqualTo("ecs1-node2");
        assertThat(Ec2Tags.nodeNumber("ecs1", "ecs1-node2")).contains(2);
        assertThat(Ec2Tags.nodeNumber("ecs1", "ecs1-node12")).contains(12);
        assertThat(Ec2Tags.nodeNumber("ecs", "ecs1-node2")).as("a cluster whose name is a prefix of another's").isEmpty();
        assertThat(Ec2Tags.nodeNumber("ecs1", "ecs1-node0")).isEmpty();
        assertThat(Ec2Tags.nodeNumber("e.s", "eXs-node1")).as("the cluster name is literal, not a pattern").isEmpty();
        assertThat(Ec2Tags.nodeNumber("ecs1", null)).isEmpty();
    }

    @Test
    void missingNodesAreTheNumbersUpToCountThatNoResourceHolds() {
        assertThat(Ec2Tags.missing(3, List.of())).containsExactly(1, 2, 3);
        assertThat(Ec2Tags.missing(3, List.of(2, 5))).containsExactly(1, 3);
        assertThat(Ec2Tags.missing(2, List.of(1, 2, 3))).isEmpty();
    }

    @Test
    void aResourceBelongsToTheClusterOnlyByItsExactTag() {
        List<Tag> tags = Ec2Tags.nodeTags("ecs1", 1);

        assertThat(Ec2Tags.ofCluster(tags, "ecs1")).isTrue();
        assertThat(Ec2Tags.ofCluster(tags, "ecs")).isFalse();
        assertThat(Ec2Tags.ofCluster(null, "ecs1")).isFalse();
        assertThat(Ec2Tags.value(tags, Ec2Tags.NODE)).isEqualTo("ecs1-node1");
        assertThat(Ec2Tags.value(tags, Ec2Tags.NAME)).isEqualTo("ecs1-node1");
    }

    @Test
    void filtersSelectTheClusterTag() {
        Filter cluster = Ec2Tags.clusterFilter("ecs1");

        assertThat(cluster.name()).isEqualTo("tag:rigger:cluster");
        assertThat(cluster.values()).containsExactly("ecs1");
        assertThat(Ec2Tags.filter("key-name", "rigger-ecs1").values()).containsExactly("rigger-ecs1");
        assertThat(Ec2Tags.nodeTagSpecification(ResourceType.VOLUME, "ecs1", 3).resourceType())
                .isEqualTo(ResourceType.VOLUME);
    }

    @Test
    void adoptedStatesAreThoseOfAnInstanceThatCanStillServeAsTheNode() {
        assertThat(Ec2Tags.ADOPTED).contains(InstanceStateName.PENDING, InstanceStateName.RUNNING, InstanceStateName.STOPPED)
                .doesNotContain(InstanceStateName.SHUTTING_DOWN, InstanceStateName.TERMINATED);
        assertThat(Ec2Tags.LIVE).contains(InstanceStateName.SHUTTING_DOWN).doesNotContain(InstanceStateName.TERMINATED);
    }

    @Test
    void aLaunchTokenIsStableForTheSameNodeAndGroupAndChangesWithEitherOrAGoneInstance() {
        String token = Ec2Tags.clientToken("instance", "ecs1", 2, "sg-1", List.of());

        assertThat(Ec2Tags.clientToken("instance", "ecs1", 2, "sg-1", List.of()))
                .as("a killed controller launches with the same token again").isEqualTo(token);
        assertThat(token).hasSizeLessThanOrEqualTo(64).matches("[a-z0-9-]+");
        assertThat(Ec2Tags.clientToken("instance", "ecs1", 3, "sg-1", List.of())).isNotEqualTo(token);
        assertThat(Ec2Tags.clientToken("instance", "ecs1", 2, "sg-2", List.of()))
                .as("a cluster made again has a new group").isNotEqualTo(token);
        assertThat(Ec2Tags.clientToken("instance", "ecs1", 2, "sg-1", List.of("i-b", "i-a")))
                .isNotEqualTo(token)
                .isEqualTo(Ec2Tags.clientToken("instance", "ecs1", 2, "sg-1", List.of("i-a", "i-b")));
        assertThat(Ec2Tags.clientToken("volume", "ecs1", 2, "sg-1", List.of())).isNotEqualTo(token);
    }
}
