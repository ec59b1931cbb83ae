package dev.rigger.controller.modules.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;

class IngressRuleTest {
    private static final String GROUP = "sg-0123";

    private static IpPermission tcp(int from, int to, String cidr) {
        return IpPermission.builder().ipProtocol("tcp").fromPort(from).toPort(to).ipRanges(r -> r.cidrIp(cidr)).build();
    }

    private static IpPermission allFromGroup(String group) {
        return IpPermission.builder().ipProtocol("-1").userIdGroupPairs(p -> p.groupId(group)).build();
    }

    @Test
    void wantsAllTrafficBetweenMembersSshFromTheControllerAndTheClientPortsButNotTheManagementApi() {
        List<IngressRule> wanted = IngressRule.wanted(GROUP, "10.1.0.0/16", "203.0.113.7/32");

        assertThat(wanted).extracting(IngressRule::describe).containsExactly("all traffic from the group's members",
                "tcp 22 from 203.0.113.7/32", "tcp 443 from 10.1.0.0/16", "tcp 9020-9025 from 10.1.0.0/16");
        IpPermission self = wanted.get(0).toPermission();
        assertThat(self.ipProtocol()).isEqualTo("-1");
        assertThat(self.userIdGroupPairs()).extracting(p -> p.groupId()).containsExactly(GROUP);
        IpPermission s3 = wanted.get(3).toPermission();
        assertThat(s3.fromPort()).isEqualTo(9020);
        assertThat(s3.toPort()).isEqualTo(9025);
        assertThat(s3.ipRanges()).extracting(r -> r.cidrIp()).containsExactly("10.1.0.0/16");
    }

    @Test
    void onlyTheRulesNoExistingPermissionGrantsAreMissing() {
        List<IngressRule> wanted = IngressRule.wanted(GROUP, "0.0.0.0/0", "0.0.0.0/0");

        assertThat(IngressRule.missing(wanted, List.of())).hasSize(4);
        assertThat(IngressRule.missing(wanted, List.of(allFromGroup(GROUP), tcp(22, 22, "0.0.0.0/0"),
                tcp(443, 443, "0.0.0.0/0"), tcp(9020, 9025, "0.0.0.0/0")))).isEmpty();
        assertThat(IngressRule.missing(wanted, List.of(allFromGroup(GROUP), tcp(0, 65535, "0.0.0.0/0"))))
                .as("a wider tcp range already grants every client port").isEmpty();
    }

    @Test
    void aRuleForAnotherSourceOrNarrowerPortsDoesNotCount() {
        List<IngressRule> wanted = IngressRule.wanted(GROUP, "0.0.0.0/0", "0.0.0.0/0");

        List<IngressRule> missing = IngressRule.missing(wanted, List.of(allFromGroup("sg-other"),
                tcp(22, 22, "10.0.0.0/8"), tcp(9020, 9021, "0.0.0.0/0"), tcp(443, 443, "0.0.0.0/0")));

        assertThat(missing).extracting(IngressRule::describe).containsExactly("all traffic from the group's members",
                "tcp 22 from 0.0.0.0/0", "tcp 9020-9025 from 0.0.0.0/0");
        assertThat(IngressRule.missing(List.of(wanted.get(0)), List.of(tcp(0, 65535, "0.0.0.0/0"))))
                .as("tcp from a CIDR is not all traffic from the members").hasSize(1);
    }

    @Test
    void rulesOpenToTheWholeInternetAreFoundForTheWarning() {
        List<IngressRule> open = IngressRule.worldOpen(List.of(allFromGroup(GROUP), tcp(4443, 4443, "0.0.0.0/0"),
                tcp(443, 443, "203.0.113.7/32"), tcp(9020, 9025, "0.0.0.0/0")));

        assertThat(open).extracting(IngressRule::describe).containsExactly("tcp 4443 from 0.0.0.0/0",
                "tcp 9020-9025 from 0.0.0.0/0");
    }
}
