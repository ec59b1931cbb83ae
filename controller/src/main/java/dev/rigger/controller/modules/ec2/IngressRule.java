package dev.rigger.controller.modules.ec2;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * One inbound rule of the cluster's security group: from a CIDR, or from the members of a group
 * ({@code sourceGroupId}). ECS needs every port between its nodes; from clients the portal (443) and
 * S3/Atmos/Swift (9020-9025) (reference §1.4); from the controller SSH. The management API (4443) is not
 * opened: the controller reaches it through the host's SSH session, and so can an administrator
 * ({@code ssh -L 4443:127.0.0.1:4443}).
 *
 * @param protocol {@code tcp}, or {@code -1} for all traffic (ports then ignored)
 */
record IngressRule(String protocol, int fromPort, int toPort, String cidr, String sourceGroupId) {
    static final int[][] CLIENT_PORTS = {{443, 443}, {9020, 9025}};
    static final int SSH_PORT = 22;
    static final String WORLD = "0.0.0.0/0";

    static List<IngressRule> wanted(String groupId, String clientCidr, String sshCidr) {
        List<IngressRule> rules = new ArrayList<>();
        rules.add(new IngressRule("-1", -1, -1, null, groupId));
        rules.add(new IngressRule("tcp", SSH_PORT, SSH_PORT, sshCidr, null));
        for (int[] p : CLIENT_PORTS) {
            rules.add(new IngressRule("tcp", p[0], p[1], clientCidr, null));
        }
        return rules;
    }

    /** The wanted rules that no existing permission already grants, so only those are added. */
    static List<IngressRule> missing(List<IngressRule> wanted, Collection<IpPermission> existing) {
        return wanted.stream().filter(r -> existing.stream().noneMatch(r::grantedBy)).toList();
    }

    /** The tcp permissions that let the whole internet in, as rules (for a warning). */
    static List<IngressRule> worldOpen(Collection<IpPermission> existing) {
        List<IngressRule> open = new ArrayList<>();
        for (IpPermission p : existing) {
            boolean tcp = "tcp".equalsIgnoreCase(p.ipProtocol()) || "6".equals(p.ipProtocol());
            if (tcp && p.fromPort() != null && p.toPort() != null && p.ipRanges() != null
                    && p.ipRanges().stream().anyMatch(r -> WORLD.equals(r.cidrIp()))) {
                open.add(new IngressRule("tcp", p.fromPort(), p.toPort(), WORLD, null));
            }
        }
        return open;
    }

    boolean grantedBy(IpPermission p) {
        String proto = p.ipProtocol();
        boolean all = "-1".equals(proto) || "all".equalsIgnoreCase(proto);
        boolean ports = all || ("tcp".equalsIgnoreCase(proto) || "6".equals(proto)) && "tcp".equals(protocol)
                && p.fromPort() != null && p.toPort() != null && p.fromPort() <= fromPort && p.toPort() >= toPort;
        if (!ports || "-1".equals(protocol) && !all) {
            return false;
        }
        if (sourceGroupId != null) {
            return p.userIdGroupPairs() != null
                    && p.userIdGroupPairs().stream().anyMatch(g -> sourceGroupId.equals(g.groupId()));
        }
        return p.ipRanges() != null && p.ipRanges().stream().anyMatch(r -> cidr.equals(r.cidrIp()));
    }

    IpPermission toPermission() {
        IpPermission.Builder b = IpPermission.builder().ipProtocol(protocol);
        if (!"-1".equals(protocol)) {
            b.fromPort(fromPort).toPort(toPort);
        }
        if (sourceGroupId != null) {
            b.userIdGroupPairs(UserIdGroupPair.builder().groupId(sourceGroupId)
                    .description("rigger: all traffic between the cluster's hosts").build());
        } else {
            b.ipRanges(IpRange.builder().cidrIp(cidr).description("rigger: clients").build());
        }
        return b.build();
    }

    String describe() {
        String ports = "-1".equals(protocol) ? "all traffic" : "tcp " + (fromPort == toPort ? fromPort : fromPort + "-" + toPort);
        return ports + " from " + (sourceGroupId != null ? "the group's members" : cidr);
    }
}
