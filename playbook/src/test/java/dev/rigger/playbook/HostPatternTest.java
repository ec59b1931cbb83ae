package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostPatternTest {

    private static final List<String> HOSTS = List.of("node1", "node2", "node3", "db1");
    private static final Map<String, List<String>> GROUPS = Map.of(
            "all", HOSTS,
            "ecs", List.of("node1", "node2", "node3"),
            "lab", List.of("node3", "node2"),
            "db", List.of("db1"));

    private static List<String> select(String pattern) {
        return HostPattern.select(pattern, GROUPS, HOSTS);
    }

    @Test
    void allAndStarSelectEveryHostInInventoryOrder() {
        assertThat(select("all")).containsExactly("node1", "node2", "node3", "db1");
        assertThat(select("*")).containsExactly("node1", "node2", "node3", "db1");
    }

    @Test
    void aNameOrAGroupSelectsItsHostsInInventoryOrder() {
        assertThat(select("node2")).containsExactly("node2");
        assertThat(select("lab")).as("group order does not matter").containsExactly("node2", "node3");
    }

    @Test
    void globsMatchHostAndGroupNames() {
        assertThat(select("node*")).containsExactly("node1", "node2", "node3");
        assertThat(select("node[13]")).containsExactly("node1", "node3");
        assertThat(select("d?")).as("the group db").containsExactly("db1");
        assertThat(select("~node[12]")).containsExactly("node1", "node2");
    }

    @Test
    void colonsUniteAndExclusionsAndIntersectionsApplyAfterwards() {
        assertThat(select("db:node1")).containsExactly("node1", "db1");
        assertThat(select("!node2:ecs")).as("exclusions apply last, as in Ansible").containsExactly("node1", "node3");
        assertThat(select("ecs:&lab")).containsExactly("node2", "node3");
        assertThat(select("ecs:&lab:!node3")).containsExactly("node2");
        assertThat(select("!db")).as("only exclusions start from all").containsExactly("node1", "node2", "node3");
        assertThat(select("node1,db1")).containsExactly("node1", "db1");
    }

    @Test
    void anUnknownNameIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> select("ecs:!nod2"))
                .isInstanceOf(HostPatternException.class)
                .hasMessageStartingWith("unknown host or group 'nod2' in host pattern 'ecs:!nod2'");
        assertThatThrownBy(() -> select("web*"))
                .isInstanceOf(HostPatternException.class)
                .hasMessageStartingWith("'web*' in host pattern 'web*' matches no host or group");
        assertThatThrownBy(() -> select(" : "))
                .isInstanceOf(HostPatternException.class)
                .hasMessage("empty host pattern ' : '");
    }

    @Test
    void anEmptyGroupIsKnownAndSelectsNothing() {
        Map<String, List<String>> groups = Map.of("all", HOSTS, "spare", List.of());

        assertThat(HostPattern.select("spare", groups, HOSTS)).isEmpty();
        assertThat(HostPattern.matches("all:!spare", "db1", groups, HOSTS)).isTrue();
        assertThat(HostPattern.matches("spare", "db1", groups, HOSTS)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void anIndexPicksOneHostOfAGroupInInventoryOrder() {
        java.util.List<String> hosts = java.util.List.of("node1", "node2", "node3");
        java.util.Map<String, java.util.List<String>> groups = java.util.Map.of("all", hosts, "lab", hosts);
        org.assertj.core.api.Assertions.assertThat(HostPattern.select("lab[0]", groups, hosts)).containsExactly("node1");
        org.assertj.core.api.Assertions.assertThat(HostPattern.select("all[2]", groups, hosts)).containsExactly("node3");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostPattern.select("lab[3]", groups, hosts))
                .isInstanceOf(HostPatternException.class).hasMessageContaining("has 3 host(s)");
    }
}
