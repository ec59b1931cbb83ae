package dev.rigger.controller.modules.ec2;

import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerPlan;
import dev.rigger.controller.modules.ControllerStep;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * {@code state: present}: plans, from what {@link Ec2Cluster} found, only the resources that are missing
 * (key pair, security group, each ingress rule, each node's instance and data volume, each attachment),
 * and once everything exists reads the host keys and registers the hosts. Registering is not a change:
 * a run that finds the whole cluster in place reports ok and still registers it.
 */
final class Ec2Present {
    private final Ec2Connection conn;
    private final Ec2Client ec2;
    private final Ec2Args a;
    private final ControllerKey key;
    private final Ec2Cluster c;
    private final Ec2Waits waits;
    private final Consumer<String> output;

    Ec2Present(Ec2Connection conn, Ec2Args a, ControllerKey key, Ec2Cluster c, Consumer<String> output) {
        this.conn = conn;
        this.ec2 = conn.client();
        this.a = a;
        this.key = key;
        this.c = c;
        this.waits = new Ec2Waits(ec2, a);
        this.output = output;
    }

    ControllerPlan plan(ControllerModuleContext ctx) throws Exception {
        List<ControllerStep> steps = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        keyPair(steps, summary);
        securityGroup(steps, summary);
        instances(steps, summary);
        volumes(steps, summary);
        if (steps.isEmpty()) {
            List<Ec2Host> hosts = register(ctx, c);
            return ControllerPlan.noop("cluster " + a.cluster() + " in place: " + hosts.size() + " instances, "
                    + hosts.size() + " volumes, security group " + c.groupId() + ", key pair " + a.keyName()
                    + strays(), data(hosts, c.groupId()));
        }
        return ControllerPlan.change(String.join(", ", summary) + " for cluster " + a.cluster() + strays(), steps,
                        data(plannedHosts(), c.groupId() == null ? ControllerPlan.KNOWN_AFTER_APPLY : c.groupId()))
                .withDataAfterApply(context -> {
                    Ec2Cluster after = Ec2Cluster.observe(ec2, a);
                    return data(register(context, after), after.groupId());
                });
    }

    private void keyPair(List<ControllerStep> steps, List<String> summary) throws IOException {
        if (!key.exists()) {
            if (c.keyPair != null) {
                throw new Ec2Failure("key pair " + a.keyName() + " exists in EC2, but the controller key "
                        + key.publicKeyFile() + " that it was made from is missing; the hosts could not be reached."
                        + " Give args.publicKeyFile, or another args.keyName");
            }
            if (!key.canGenerate(a)) {
                throw new IllegalArgumentException("args.publicKeyFile: " + key.publicKeyFile() + " does not exist");
            }
            steps.add(ControllerStep.of("generate the controller key " + key.identityFile(), ctx -> key.generate()));
            summary.add("generate the controller key");
        }
        if (c.keyPair == null) {
            steps.add(ControllerStep.of("import key pair " + a.keyName() + " from " + key.publicKeyFile(), ctx -> {
                String publicKey = key.publicKey();
                try {
                    Ec2Failure.run("ImportKeyPair " + a.keyName(), () -> ec2.importKeyPair(r -> r.keyName(a.keyName())
                            .publicKeyMaterial(SdkBytes.fromUtf8String(publicKey))));
                } catch (Ec2Failure e) {
                    if (!"InvalidKeyPair.Duplicate".equals(e.code())) {
                        throw e;
                    }
                }
            }));
            summary.add("import key pair " + a.keyName());
        } else if (key.exists() && c.keyPair.publicKey() != null && !c.keyPair.publicKey().isBlank()) {
            if (!ControllerKey.blob(c.keyPair.publicKey()).equals(key.publicKeyBlob())) {
                throw new Ec2Failure("key pair " + a.keyName() + ": EC2 holds a different public key than "
                        + key.publicKeyFile() + "; delete the key pair or give another args.keyName");
            }
        }
    }

    private void securityGroup(List<ControllerStep> steps, List<String> summary) {
        String name = a.securityGroupName();
        if (c.group == null) {
            steps.add(ControllerStep.of("create security group " + name + " in " + c.vpcId, ctx -> {
                try {
                    String id = Ec2Failure.call("CreateSecurityGroup " + name, () -> ec2.createSecurityGroup(r -> r
                            .groupName(name).vpcId(c.vpcId)
                            .description("rigger cluster " + a.cluster() + ": ECS between the hosts, SSH from the controller, clients on 443/9020-9025")
                            .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                                    .tags(Tag.builder().key(Ec2Tags.CLUSTER).value(a.cluster()).build()).build())))
                            .groupId();
                    c.group = SecurityGroup.builder().groupId(id).groupName(name).vpcId(c.vpcId).build();
                } catch (Ec2Failure e) {
                    if (!"InvalidGroup.Duplicate".equals(e.code())) {
                        throw e;
                    }
                    c.group = Ec2Cluster.securityGroup(ec2, name, c.vpcId)
                            .orElseThrow(() -> new Ec2Failure("CreateSecurityGroup " + name + ": exists, but cannot be found"));
                }
            }));
            summary.add("create security group " + name);
        }
        if (c.group != null) {
            warnAboutWorldOpenRules(name);
        }
        List<IngressRule> missing = c.group == null ? IngressRule.wanted("(the new group)", a.clientCidr(), a.sshCidr())
                : IngressRule.missing(IngressRule.wanted(c.groupId(), a.clientCidr(), a.sshCidr()), c.group.ipPermissions());
        if (missing.isEmpty()) {
            return;
        }
        String rules = String.join(", ", missing.stream().map(IngressRule::describe).toList());
        steps.add(ControllerStep.of("allow " + rules + " into " + name, ctx -> {
            List<IngressRule> now = IngressRule.missing(IngressRule.wanted(c.groupId(), a.clientCidr(), a.sshCidr()),
                    c.group.ipPermissions());
            authorize(now);
        }));
        summary.add("add " + missing.size() + " ingress rules");
    }

    /**
     * A group made when 0.0.0.0/0 was the default keeps its rules: nothing here revokes a rule (another tool or
     * person may have added it), so the user is told which ones are open to the world and how to close them.
     */
    private void warnAboutWorldOpenRules(String name) {
        if (IngressRule.WORLD.equals(a.clientCidr()) && IngressRule.WORLD.equals(a.sshCidr())) {
            return;
        }
        for (IngressRule open : IngressRule.worldOpen(c.group.ipPermissions())) {
            output.accept("warning: security group " + name + " (" + c.groupId() + ") still allows " + open.describe()
                    + "; close it with: aws ec2 revoke-security-group-ingress --group-id " + c.groupId()
                    + " --protocol tcp --port " + open.fromPort() + "-" + open.toPort() + " --cidr " + IngressRule.WORLD);
        }
    }

    private void authorize(List<IngressRule> rules) {
        String what = "AuthorizeSecurityGroupIngress on " + a.securityGroupName() + " (" + c.groupId() + ")";
        try {
            Ec2Failure.run(what, () -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(c.groupId())
                    .ipPermissions(rules.stream().map(IngressRule::toPermission).toList())));
        } catch (Ec2Failure e) {
            if (!"InvalidPermission.Duplicate".equals(e.code())) {
                throw e;
            }
            // another run added some of them meanwhile: EC2 adds none of a batch with a duplicate, so go one by one
            if (rules.size() > 1) {
                rules.forEach(rule -> authorize(List.of(rule)));
            }
        }
    }

    private void instances(List<ControllerStep> steps, List<String> summary) {
        SortedSet<Integer> missing = Ec2Tags.missing(a.count(), c.instances.keySet());
        if (!missing.isEmpty()) {
            Ec2Image image = Ec2Image.find(ec2, a.ami());
            Ec2Launcher launcher = new Ec2Launcher(ec2, a, output);
            for (int k : missing) {
                String zone = launchZone(k);
                steps.add(ControllerStep.of("launch " + c.nodeName(k) + " (" + a.instanceType() + ", " + image.id()
                        + (zone != null ? ", " + zone : "") + ")", ctx -> c.instances.put(k,
                        launcher.launch(k, image, c.groupId(), zone, c.gone.getOrDefault(k, List.of())))));
            }
            summary.add("launch " + missing.size() + " instances");
        }
        List<Integer> stopped = nodes().stream().filter(k -> c.instances.containsKey(k)
                && state(c.instances.get(k)) != InstanceStateName.PENDING
                && state(c.instances.get(k)) != InstanceStateName.RUNNING).toList();
        for (int k : stopped) {
            String id = c.instances.get(k).instanceId();
            steps.add(ControllerStep.of("start " + c.nodeName(k) + " (" + id + ")", ctx -> {
                waits.instancesStopped(List.of(id), c.nodeName(k));
                Ec2Failure.run("StartInstances for " + c.nodeName(k) + " (" + id + ")",
                        () -> ec2.startInstances(r -> r.instanceIds(id)));
            }));
        }
        if (!stopped.isEmpty()) {
            summary.add("start " + stopped.size() + " instances");
        }
    }

    /** Where node k must run: its subnet's zone, or the zone of a data volume it already has. */
    private String launchZone(int k) {
        Volume v = c.volumes.get(k);
        if (v == null) {
            return c.subnetZone;
        }
        if (c.subnetZone != null && !c.subnetZone.equals(v.availabilityZone())) {
            throw new Ec2Failure("volume " + v.volumeId() + " of " + c.nodeName(k) + " is in " + v.availabilityZone()
                    + ", subnet " + a.subnetId() + " in " + c.subnetZone + "; the node could not attach it");
        }
        return v.availabilityZone();
    }

    private void volumes(List<ControllerStep> steps, List<String> summary) {
        List<Integer> toCreate = nodes().stream().filter(k -> !c.volumes.containsKey(k)).toList();
        for (int k : toCreate) {
            steps.add(ControllerStep.of("create a " + a.volumeSizeGiB() + " GiB " + a.volumeType() + " volume for "
                    + c.nodeName(k), ctx -> c.volumes.put(k, createVolume(k))));
        }
        if (!toCreate.isEmpty()) {
            summary.add("create " + toCreate.size() + " volumes");
        }
        boolean mustRun = nodes().stream().anyMatch(k -> !c.instances.containsKey(k)
                || state(c.instances.get(k)) != InstanceStateName.RUNNING);
        List<Integer> toAttach = new ArrayList<>();
        for (int k : nodes()) {
            Volume v = c.volumes.get(k);
            Instance i = c.instances.get(k);
            if (v == null || i == null || !attachedTo(v, i.instanceId())) {
                if (v != null && i != null) {
                    checkAttachable(k, v, i);
                }
                toAttach.add(k);
            }
        }
        if (mustRun) {
            steps.add(ControllerStep.of("wait until " + nodeNames(nodes()) + " run", ctx -> waits.instancesRunning(
                    nodes().stream().map(k -> c.instances.get(k).instanceId()).toList(), nodeNames(nodes()))));
        }
        for (int k : toAttach) {
            steps.add(ControllerStep.of("attach the volume of " + c.nodeName(k) + " as " + a.device(), ctx -> attach(k)));
        }
        if (!toAttach.isEmpty()) {
            steps.add(ControllerStep.of("wait until the volumes of " + nodeNames(toAttach) + " are in use", ctx ->
                    waits.volumesInUse(toAttach.stream().map(k -> c.volumes.get(k).volumeId()).toList())));
            summary.add("attach " + toAttach.size() + " volumes");
        }
    }

    private Volume createVolume(int k) {
        Instance i = c.instances.get(k);
        String zone = i != null && i.placement() != null && i.placement().availabilityZone() != null
                ? i.placement().availabilityZone() : c.subnetZone;
        if (zone == null) {
            throw new Ec2Failure("CreateVolume for " + c.nodeName(k) + ": the zone of its instance is not known");
        }
        String token = Ec2Tags.clientToken("volume", a.cluster(), k, c.groupId(), c.gone.getOrDefault(k, List.of()));
        return Ec2Failure.call("CreateVolume for " + c.nodeName(k) + " in " + zone, () -> {
            var created = ec2.createVolume(r -> r.availabilityZone(zone).size(a.volumeSizeGiB())
                    .volumeType(a.volumeType()).clientToken(token)
                    .tagSpecifications(Ec2Tags.nodeTagSpecification(ResourceType.VOLUME, a.cluster(), k)));
            return Volume.builder().volumeId(created.volumeId()).availabilityZone(created.availabilityZone())
                    .state(created.state()).attachments(created.attachments()).build();
        });
    }

    private void checkAttachable(int k, Volume v, Instance i) {
        String zone = i.placement() == null ? null : i.placement().availabilityZone();
        if (zone != null && v.availabilityZone() != null && !zone.equals(v.availabilityZone())) {
            throw new Ec2Failure("volume " + v.volumeId() + " of " + c.nodeName(k) + " is in " + v.availabilityZone()
                    + ", its instance " + i.instanceId() + " in " + zone);
        }
        for (VolumeAttachment at : v.attachments()) {
            if (live(at) && !i.instanceId().equals(at.instanceId())) {
                throw new Ec2Failure("volume " + v.volumeId() + " of " + c.nodeName(k) + " is attached to "
                        + at.instanceId() + ", not to the node's instance " + i.instanceId());
            }
        }
    }

    private void attach(int k) {
        Volume v = c.volumes.get(k);
        Instance i = c.instances.get(k);
        String what = "AttachVolume " + v.volumeId() + " to " + c.nodeName(k) + " (" + i.instanceId() + ") as " + a.device();
        Volume now = Ec2Failure.call("DescribeVolumes " + v.volumeId(),
                () -> ec2.describeVolumes(r -> r.volumeIds(v.volumeId())).volumes().get(0));
        if (attachedTo(now, i.instanceId())) {
            return;
        }
        checkAttachable(k, now, i);
        if (now.state() != VolumeState.AVAILABLE) {
            waits.volumesAvailable(List.of(v.volumeId()));
        }
        Ec2Failure.run(what, () -> ec2.attachVolume(r -> r.volumeId(v.volumeId()).instanceId(i.instanceId())
                .device(a.device())));
    }

    private List<Ec2Host> register(ControllerModuleContext ctx, Ec2Cluster seen) throws Exception {
        Map<String, String> names = new LinkedHashMap<>();
        for (int k : nodes()) {
            Instance i = seen.instances.get(k);
            if (i == null || state(i) != InstanceStateName.RUNNING) {
                throw new Ec2Failure("DescribeInstances for " + seen.nodeName(k) + ": "
                        + (i == null ? "no instance" : i.instanceId() + " is " + state(i)) + " after provisioning");
            }
            names.put(i.instanceId(), seen.nodeName(k));
        }
        Map<String, List<String>> keys = Ec2HostKeys.await(ec2, a, names, output);
        List<Ec2Host> hosts = new ArrayList<>();
        for (int k : nodes()) {
            Instance i = seen.instances.get(k);
            Volume v = seen.volumes.get(k);
            hosts.add(new Ec2Host(seen.nodeName(k), i.instanceId(), v == null ? null : v.volumeId(),
                    i.privateIpAddress(), i.publicIpAddress(),
                    i.placement() == null ? null : i.placement().availabilityZone(), keys.get(i.instanceId())));
        }
        if (ctx.inventory() != null) {
            hosts.forEach(h -> ctx.inventory().register(h.inventoryHost(a, key.identityFile())));
        }
        return hosts;
    }

    private List<Ec2Host> plannedHosts() {
        List<Ec2Host> hosts = new ArrayList<>();
        String later = ControllerPlan.KNOWN_AFTER_APPLY;
        for (int k : nodes()) {
            Instance i = c.instances.get(k);
            Volume v = c.volumes.get(k);
            hosts.add(new Ec2Host(c.nodeName(k), i == null ? later : i.instanceId(), v == null ? later : v.volumeId(),
                    i == null || i.privateIpAddress() == null ? later : i.privateIpAddress(),
                    i == null || i.publicIpAddress() == null ? later : i.publicIpAddress(), null, List.of()));
        }
        return hosts;
    }

    private Map<String, Object> data(List<Ec2Host> hosts, String groupId) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("hosts", hosts.stream().map(Ec2Host::data).toList());
        d.put("securityGroupId", groupId);
        d.put("keyName", a.keyName());
        d.put("region", conn.region());
        Ec2Module.countCalls(d, conn);
        return d;
    }

    private String strays() {
        List<String> extra = new ArrayList<>();
        c.instances.forEach((k, i) -> {
            if (k > a.count()) {
                extra.add(c.nodeName(k) + " (" + i.instanceId() + ")");
            }
        });
        c.strays.forEach(i -> extra.add(i.instanceId()));
        return extra.isEmpty() ? "" : "; left alone beyond count " + a.count() + ": " + String.join(", ", extra);
    }

    private List<Integer> nodes() {
        List<Integer> nodes = new ArrayList<>();
        for (int k = 1; k <= a.count(); k++) {
            nodes.add(k);
        }
        return nodes;
    }

    private String nodeNames(List<Integer> ks) {
        return String.join(", ", ks.stream().map(c::nodeName).toList());
    }

    static boolean attachedTo(Volume v, String instanceId) {
        return v.attachments() != null && v.attachments().stream()
                .anyMatch(at -> instanceId.equals(at.instanceId()) && live(at));
    }

    private static boolean live(VolumeAttachment at) {
        return at.state() == VolumeAttachmentState.ATTACHED || at.state() == VolumeAttachmentState.ATTACHING;
    }

    static InstanceStateName state(Instance i) {
        return i.state() == null ? InstanceStateName.UNKNOWN_TO_SDK_VERSION : i.state().name();
    }
}
