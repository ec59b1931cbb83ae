package dev.rigger.controller.modules.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/**
 * Launches one node. A launch that EC2 refuses for lack of capacity is tried again a counted number of
 * times with a doubling pause, then fails naming the node and the error code. The client token makes a
 * repeated launch return the instance that was already made instead of a second one.
 */
final class Ec2Launcher {
    private static final int TOKEN_RETRIES = 3;

    private final Ec2Client ec2;
    private final Ec2Args a;
    private final Consumer<String> output;

    Ec2Launcher(Ec2Client ec2, Ec2Args a, Consumer<String> output) {
        this.ec2 = ec2;
        this.a = a;
        this.output = output;
    }

    Instance launch(int k, Ec2Image image, String groupId, String zone, List<String> goneIds) throws InterruptedException {
        String node = Ec2Tags.nodeName(a.cluster(), k);
        List<String> gone = new ArrayList<>(goneIds);
        for (int attempt = 0; ; attempt++) {
            Instance i = withCapacityRetries(node, () -> ec2.runInstances(request(k, image, groupId, zone,
                    Ec2Tags.clientToken("instance", a.cluster(), k, groupId, gone))).instances().stream().findFirst()
                    .orElseThrow(() -> new Ec2Failure("RunInstances for " + node + ": EC2 answered without an instance")));
            InstanceStateName state = i.state() == null ? null : i.state().name();
            if (state != InstanceStateName.SHUTTING_DOWN && state != InstanceStateName.TERMINATED) {
                return i;
            }
            // the token belonged to an instance of this node that has since been terminated
            if (attempt == TOKEN_RETRIES) {
                throw new Ec2Failure("RunInstances for " + node + ": EC2 keeps returning terminated instances ("
                        + String.join(", ", gone) + ")");
            }
            gone.add(i.instanceId());
        }
    }

    private Instance withCapacityRetries(String node, Supplier<Instance> launch)
            throws InterruptedException {
        String what = "RunInstances for " + node;
        for (int attempt = 0; ; attempt++) {
            try {
                return Ec2Failure.call(what, launch);
            } catch (Ec2Failure e) {
                if (!Ec2Retries.CAPACITY_CODES.contains(e.code()) || attempt >= a.capacityRetries()) {
                    throw e;
                }
                long pause = a.capacityBackoffMs() << Math.min(attempt, 10);
                output.accept(what + ": " + e.code() + ", trying again in " + pause / 1000.0 + " s ("
                        + (attempt + 1) + "/" + a.capacityRetries() + ")");
                Thread.sleep(pause);
            }
        }
    }

    private RunInstancesRequest request(int k, Ec2Image image, String groupId, String zone, String token) {
        RunInstancesRequest.Builder r = RunInstancesRequest.builder()
                .imageId(image.id())
                .instanceType(a.instanceType())
                .minCount(1).maxCount(1)
                .keyName(a.keyName())
                .securityGroupIds(groupId)
                .clientToken(token)
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName(image.rootDeviceName())
                        .ebs(e -> e.volumeSize(a.rootVolumeGiB()).volumeType("gp3").deleteOnTermination(true)).build())
                .tagSpecifications(Ec2Tags.nodeTagSpecification(ResourceType.INSTANCE, a.cluster(), k));
        if (a.subnetId() != null) {
            r.subnetId(a.subnetId());
        } else if (zone != null) {
            r.placement(p -> p.availabilityZone(zone));
        }
        return r.build();
    }

}
