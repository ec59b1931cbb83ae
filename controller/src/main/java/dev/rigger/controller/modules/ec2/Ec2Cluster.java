package dev.rigger.controller.modules.ec2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeState;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * What EC2 holds of one cluster, found by name (key pair, security group) and by tags (instances, volumes),
 * with Describe calls only. The apply steps update it as they create things, so later steps see the
 * ids that earlier ones made.
 */
final class Ec2Cluster {
    final Ec2Args args;
    KeyPairInfo keyPair;
    String vpcId;
    /** The subnet's zone when a subnet was given, else null (EC2 picks one per launch). */
    String subnetZone;
    SecurityGroup group;
    /** Node number -> the instance that is that node (pending, running, stopping or stopped). */
    final Map<Integer, Instance> instances = new TreeMap<>();
    /** Node number -> ids of its instances that are shutting down or terminated. */
    final Map<Integer, List<String>> gone = new TreeMap<>();
    /** Instances tagged with the cluster whose node tag is missing, foreign or a second copy of a node. */
    final List<Instance> strays = new ArrayList<>();
    /** Node number -> its data volume. */
    final Map<Integer, Volume> volumes = new TreeMap<>();
    final List<Volume> strayVolumes = new ArrayList<>();

    private Ec2Cluster(Ec2Args args) {
        this.args = args;
    }

    static Ec2Cluster observe(Ec2Client ec2, Ec2Args a) {
        Ec2Cluster c = new Ec2Cluster(a);
        c.keyPair = keyPair(ec2, a.keyName()).orElse(null);
        c.findNetwork(ec2);
        c.group = c.vpcId == null ? null : securityGroup(ec2, a.securityGroupName(), c.vpcId).orElse(null);
        c.findInstances(ec2);
        c.findVolumes(ec2);
        return c;
    }

    String groupId() {
        return group == null ? null : group.groupId();
    }

    String nodeName(int k) {
        return Ec2Tags.nodeName(args.cluster(), k);
    }

    static Optional<KeyPairInfo> keyPair(Ec2Client ec2, String name) {
        try {
            return Ec2Failure.call("DescribeKeyPairs for " + name, () -> ec2.describeKeyPairs(r -> r
                            .filters(Ec2Tags.filter("key-name", name)).includePublicKey(true)))
                    .keyPairs().stream().filter(k -> name.equals(k.keyName())).findFirst();
        } catch (Ec2Failure e) {
            if ("InvalidKeyPair.NotFound".equals(e.code())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static Optional<SecurityGroup> securityGroup(Ec2Client ec2, String name, String vpcId) {
        return Ec2Failure.call("DescribeSecurityGroups for " + name, () -> ec2.describeSecurityGroupsPaginator(r -> r
                        .filters(Ec2Tags.filter("group-name", name), Ec2Tags.filter("vpc-id", vpcId))).securityGroups()
                .stream().filter(g -> name.equals(g.groupName()) && (g.vpcId() == null || vpcId.equals(g.vpcId())))
                .findFirst());
    }

    private void findNetwork(Ec2Client ec2) {
        if (args.subnetId() != null) {
            Subnet subnet = Ec2Failure.call("DescribeSubnets for " + args.subnetId(),
                            () -> ec2.describeSubnets(r -> r.subnetIds(args.subnetId()))).subnets().stream()
                    .filter(s -> args.subnetId().equals(s.subnetId())).findFirst()
                    .orElseThrow(() -> new Ec2Failure("DescribeSubnets for " + args.subnetId() + ": no such subnet"));
            vpcId = subnet.vpcId();
            subnetZone = subnet.availabilityZone();
            return;
        }
        vpcId = Ec2Failure.call("DescribeVpcs (the default VPC)", () -> ec2.describeVpcs(r -> r
                        .filters(Ec2Tags.filter("is-default", "true")))).vpcs().stream()
                .filter(v -> Boolean.TRUE.equals(v.isDefault())).map(Vpc::vpcId).findFirst()
                .orElseThrow(() -> new Ec2Failure("DescribeVpcs: the region has no default VPC; give args.subnetId"));
    }

    private void findInstances(Ec2Client ec2) {
        List<Instance> all = Ec2Failure.call("DescribeInstances for cluster " + args.cluster(), () ->
                ec2.describeInstancesPaginator(r -> r.filters(Ec2Tags.clusterFilter(args.cluster())))
                        .reservations().stream().flatMap(res -> res.instances().stream()).toList());
        List<Instance> sorted = new ArrayList<>(all);
        // the oldest instance of a node is the node; a later copy is a stray
        sorted.sort(Comparator.comparing(Instance::launchTime, Comparator.nullsLast(Comparator.naturalOrder())));
        for (Instance i : sorted) {
            if (!Ec2Tags.ofCluster(i.tags(), args.cluster())) {
                continue;
            }
            InstanceStateName state = i.state() == null ? InstanceStateName.UNKNOWN_TO_SDK_VERSION : i.state().name();
            Optional<Integer> k = Ec2Tags.nodeNumber(args.cluster(), Ec2Tags.value(i.tags(), Ec2Tags.NODE));
            if (!Ec2Tags.LIVE.contains(state)) {
                k.ifPresent(n -> gone.computeIfAbsent(n, x -> new ArrayList<>()).add(i.instanceId()));
            } else if (k.isEmpty() || !Ec2Tags.ADOPTED.contains(state) || instances.containsKey(k.get())) {
                strays.add(i);
            } else {
                instances.put(k.get(), i);
            }
        }
    }

    private void findVolumes(Ec2Client ec2) {
        List<Volume> all = Ec2Failure.call("DescribeVolumes for cluster " + args.cluster(), () ->
                ec2.describeVolumesPaginator(r -> r.filters(Ec2Tags.clusterFilter(args.cluster()))).volumes()
                        .stream().toList());
        List<Volume> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(Volume::createTime, Comparator.nullsLast(Comparator.naturalOrder())));
        for (Volume v : sorted) {
            if (!Ec2Tags.ofCluster(v.tags(), args.cluster()) || v.state() == VolumeState.DELETING
                    || v.state() == VolumeState.DELETED) {
                continue;
            }
            Optional<Integer> k = Ec2Tags.nodeNumber(args.cluster(), Ec2Tags.value(v.tags(), Ec2Tags.NODE));
            if (k.isEmpty() || volumes.containsKey(k.get())) {
                strayVolumes.add(v);
            } else {
                volumes.put(k.get(), v);
            }
        }
    }

}
