package dev.rigger.controller.modules.ec2;

import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerPlan;
import dev.rigger.controller.modules.ControllerStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;

/**
 * {@code state: absent}: terminates the cluster's instances, deletes its data volumes (detached first if
 * they are still attached), its security group (once no instance holds it any more) and its key pair,
 * and takes the hosts out of the inventory. A second run finds nothing and reports ok.
 */
final class Ec2Absent {
    private final Ec2Connection conn;
    private final Ec2Client ec2;
    private final Ec2Args a;
    private final Ec2Cluster c;
    private final Ec2Waits waits;

    Ec2Absent(Ec2Connection conn, Ec2Args a, Ec2Cluster c) {
        this.conn = conn;
        this.ec2 = conn.client();
        this.a = a;
        this.c = c;
        this.waits = new Ec2Waits(ec2, a);
    }

    ControllerPlan plan(ControllerModuleContext ctx) {
        List<ControllerStep> steps = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        List<Instance> live = new ArrayList<>(c.instances.values());
        live.addAll(c.strays);
        List<String> instanceIds = live.stream().map(Instance::instanceId).toList();
        if (!live.isEmpty()) {
            String names = String.join(", ", live.stream().map(Ec2Absent::label).toList());
            steps.add(ControllerStep.of("terminate " + names, context -> {
                Ec2Failure.run("TerminateInstances " + names, () -> ec2.terminateInstances(r -> r.instanceIds(instanceIds)));
                waits.instancesTerminated(instanceIds, names);
            }));
            summary.add("terminate " + live.size() + " instances");
        }
        List<Volume> volumes = new ArrayList<>(c.volumes.values());
        volumes.addAll(c.strayVolumes);
        List<String> volumeIds = volumes.stream().map(Volume::volumeId).toList();
        for (Volume v : volumes) {
            steps.add(ControllerStep.of("delete volume " + v.volumeId() + " of "
                    + Ec2Tags.value(v.tags(), Ec2Tags.NODE), context -> deleteVolume(v)));
        }
        if (!volumes.isEmpty()) {
            steps.add(ControllerStep.of("wait until volumes " + String.join(", ", volumeIds) + " are deleted",
                    context -> waits.volumesDeleted(volumeIds)));
            summary.add("delete " + volumes.size() + " volumes");
        }
        if (c.group != null) {
            steps.add(ControllerStep.of("delete security group " + a.securityGroupName() + " (" + c.groupId() + ")",
                    context -> deleteGroup()));
            summary.add("delete security group " + a.securityGroupName());
        }
        if (c.keyPair != null) {
            steps.add(ControllerStep.of("delete key pair " + a.keyName(), context -> Ec2Failure.run(
                    "DeleteKeyPair " + a.keyName(), () -> ec2.deleteKeyPair(r -> r.keyName(a.keyName())))));
            summary.add("delete key pair " + a.keyName());
        }
        Set<String> names = hostNames(live);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("instances", instanceIds);
        data.put("volumes", volumeIds);
        data.put("securityGroupId", c.groupId());
        data.put("keyName", c.keyPair == null ? null : a.keyName());
        data.put("region", conn.region());
        if (steps.isEmpty()) {
            if (!ctx.check()) {
                forget(ctx, names);
            }
            Ec2Module.countCalls(data, conn);
            return ControllerPlan.noop("cluster " + a.cluster() + ": nothing to remove", data);
        }
        Ec2Module.countCalls(data, conn);
        return ControllerPlan.change(String.join(", ", summary) + " of cluster " + a.cluster(), steps, data)
                .withDataAfterApply(context -> {
                    forget(context, names);
                    Map<String, Object> after = new LinkedHashMap<>(data);
                    Ec2Module.countCalls(after, conn);
                    return after;
                });
    }

    private void deleteVolume(Volume v) throws InterruptedException {
        String id = v.volumeId();
        List<Volume> now;
        try {
            now = Ec2Failure.call("DescribeVolumes " + id, () -> ec2.describeVolumes(r -> r.volumeIds(id)).volumes());
        } catch (Ec2Failure e) {
            if ("InvalidVolume.NotFound".equals(e.code())) {
                return;
            }
            throw e;
        }
        if (now.isEmpty()) {
            return;
        }
        boolean attached = now.get(0).attachments() != null && now.get(0).attachments().stream()
                .anyMatch(at -> at.state() == VolumeAttachmentState.ATTACHED || at.state() == VolumeAttachmentState.ATTACHING);
        if (attached) {
            Ec2Failure.run("DetachVolume " + id, () -> ec2.detachVolume(r -> r.volumeId(id)));
        }
        if (attached || now.get(0).state() != software.amazon.awssdk.services.ec2.model.VolumeState.AVAILABLE) {
            waits.volumesAvailable(List.of(id));
        }
        try {
            Ec2Failure.run("DeleteVolume " + id, () -> ec2.deleteVolume(r -> r.volumeId(id)));
        } catch (Ec2Failure e) {
            if (!"InvalidVolume.NotFound".equals(e.code())) {
                throw e;
            }
        }
    }

    /** EC2 refuses to delete a group that a terminating instance still holds, for a while after it is gone. */
    private void deleteGroup() throws InterruptedException {
        String what = "DeleteSecurityGroup " + a.securityGroupName() + " (" + c.groupId() + ")";
        long deadline = System.nanoTime() + a.waitTimeoutMs() * 1_000_000;
        while (true) {
            try {
                Ec2Failure.run(what, () -> ec2.deleteSecurityGroup(r -> r.groupId(c.groupId())));
                return;
            } catch (Ec2Failure e) {
                if ("InvalidGroup.NotFound".equals(e.code())) {
                    return;
                }
                if (!"DependencyViolation".equals(e.code()) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(Math.max(a.pollMs(), 100));
        }
    }

    private Set<String> hostNames(List<Instance> live) {
        Set<String> names = new LinkedHashSet<>();
        for (int k = 1; k <= a.count(); k++) {
            names.add(c.nodeName(k));
        }
        c.instances.keySet().forEach(k -> names.add(c.nodeName(k)));
        live.forEach(i -> {
            String node = Ec2Tags.value(i.tags(), Ec2Tags.NODE);
            if (node != null) {
                names.add(node);
            }
        });
        return names;
    }

    private static void forget(ControllerModuleContext ctx, Set<String> names) {
        if (ctx.inventory() != null) {
            names.forEach(ctx.inventory()::remove);
        }
    }

    private static String label(Instance i) {
        String node = Ec2Tags.value(i.tags(), Ec2Tags.NODE);
        return (node != null ? node + " " : "") + "(" + i.instanceId() + ")";
    }
}
