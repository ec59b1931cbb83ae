package dev.rigger.lab.ec2;

import dev.rigger.lab.Lab;
import dev.rigger.lab.LabPrerequisites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttachVolumeRequest;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.ec2.model.VolumeState;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The emulator driven by the real aws-sdk-java-v2 EC2 client, backed by a real lab: real dockerd, real loop
 * devices, real sshd, the real OpenSSH client. One emulator, two instances, run in order.
 */
@org.junit.jupiter.api.Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Ec2EmulatorTest {
    private static final String LAB = "ec2test";
    private static final String CLUSTER_TAG = "rigger:cluster";
    private static final long GIB = 1L << 30;

    private Path stateRoot;
    private Path sshDir;
    private Ec2EmulatorOptions options;
    private Ec2Emulator emulator;
    private Ec2Client ec2;
    private String groupId;
    private final List<String> instanceIds = new ArrayList<>();
    private final List<String> volumeIds = new ArrayList<>();

    @BeforeAll
    void startEmulator() throws IOException {
        LabPrerequisites.require();
        stateRoot = Files.createTempDirectory("rigger-ec2test-");
        sshDir = Files.createTempDirectory("rigger-ec2test-ssh-");
        options = Ec2EmulatorOptions.defaults().withPort(0).withLabName(LAB).withStateRoot(stateRoot);
        Lab.of(options.labOptions()).down(line -> { });
        emulator = Ec2Emulator.start(options);
        ec2 = client(emulator);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ec2test", "-f", sshDir.resolve("id").toString());
    }

    @AfterAll
    void deleteEverything() throws IOException {
        if (emulator != null) {
            emulator.deleteEverything();
            emulator.close();
        }
        if (ec2 != null) {
            ec2.close();
        }
        if (options != null) {
            Lab.of(options.labOptions()).down(line -> { });
        }
        for (Path dir : new Path[] {stateRoot, sshDir}) {
            if (dir != null && Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static Ec2Client client(Ec2Emulator emulator) {
        return Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    @Order(1)
    void importsAKeyPairAndRecordsASecurityGroupsIngressRules() throws IOException {
        String publicKey = Files.readString(sshDir.resolve("id.pub"));
        String fingerprint = ec2.importKeyPair(b -> b.keyName("ec2test-key")
                .publicKeyMaterial(SdkBytes.fromUtf8String(publicKey))).keyFingerprint();
        assertThat(fingerprint).as("SHA-256 of the ed25519 key blob, base64").endsWith("=");
        assertThat(ec2.describeKeyPairs(b -> b.filters(filter("key-name", "ec2test-*"))).keyPairs())
                .singleElement().satisfies(k -> assertThat(k.keyFingerprint()).isEqualTo(fingerprint));

        groupId = ec2.createSecurityGroup(b -> b.groupName("ec2test-sg").description("ec2 emulator test")
                .tagSpecifications(tags(ResourceType.SECURITY_GROUP))).groupId();
        assertThat(groupId).matches("sg-0[0-9a-f]{16}");
        IpPermission ssh = IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                .ipRanges(IpRange.builder().cidrIp("10.0.0.0/8").description("controller").build()).build();
        IpPermission members = IpPermission.builder().ipProtocol("-1")
                .userIdGroupPairs(UserIdGroupPair.builder().groupId(groupId).build()).build();
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(ssh, members));

        SecurityGroup group = ec2.describeSecurityGroups(b -> b.filters(filter("group-name", "ec2test-sg")))
                .securityGroups().get(0);
        assertThat(group.groupId()).isEqualTo(groupId);
        assertThat(group.ipPermissions()).hasSize(2);
        assertThat(group.ipPermissions()).flatExtracting(IpPermission::ipRanges).extracting(IpRange::cidrIp)
                .containsExactly("10.0.0.0/8");
        assertThat(group.ipPermissions()).flatExtracting(IpPermission::userIdGroupPairs)
                .extracting(UserIdGroupPair::groupId).containsExactly(groupId);
        assertThat(group.tags()).contains(Tag.builder().key(CLUSTER_TAG).value("ec2test").build());
        assertThatThrownBy(() -> ec2.authorizeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(ssh)))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(errorCode(e)).isEqualTo("InvalidPermission.Duplicate"));
    }

    @Test
    @Order(2)
    void findsTheUbuntuImageByOwnerAndNameAndTheDefaultNetwork() {
        List<Image> images = ec2.describeImages(b -> b.owners("099720109477")
                .filters(filter("name", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"),
                        filter("architecture", "x86_64"))).images();
        assertThat(images).singleElement().satisfies(i -> assertThat(i.imageId()).matches("ami-0[0-9a-f]{16}"));
        assertThat(ec2.describeImages(b -> b.owners("099720109477").filters(filter("name", "debian-*"))).images()).isEmpty();
        assertThat(ec2.describeAvailabilityZones().availabilityZones()).singleElement()
                .satisfies(z -> assertThat(z.zoneName()).isEqualTo("us-east-1a"));
        String vpc = ec2.describeVpcs(b -> b.filters(filter("is-default", "true"))).vpcs().get(0).vpcId();
        assertThat(ec2.describeSubnets(b -> b.filters(filter("vpc-id", vpc))).subnets()).singleElement()
                .satisfies(s -> assertThat(s.cidrBlock()).matches("172\\.3[01]\\.\\d+\\.0/24"));
    }

    @Test
    @Order(3)
    void failsOneLaunchForCapacityWhenAskedToAndLaunchesNothing() throws Exception {
        HttpResponse<String> set = control("POST", "/_rigger/faults", "{\"insufficientCapacityLaunches\": 1}");
        assertThat(set.body()).contains("\"insufficientCapacityLaunches\":1");
        assertThat(emulator.faults().insufficientCapacityLaunches()).isEqualTo(1);

        assertThatThrownBy(() -> ec2.runInstances(b -> b.imageId(imageId()).instanceType("t3.micro").minCount(1).maxCount(1)))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(errorCode(e)).isEqualTo("InsufficientInstanceCapacity"));
        assertThat(ec2.describeInstances().reservations()).as("no instance from the failed launch").isEmpty();
        assertThat(emulator.faults().insufficientCapacityLaunches()).isZero();
    }

    @Test
    @Order(4)
    void runsTwoTaggedInstancesThatBecomeRunningOnceSshdAnswers() {
        RunInstancesResponse run = ec2.runInstances(b -> b.imageId(imageId()).instanceType("t3.micro").minCount(2).maxCount(2)
                .keyName("ec2test-key").securityGroupIds(groupId).tagSpecifications(tags(ResourceType.INSTANCE)));
        assertThat(run.instances()).hasSize(2).allSatisfy(i -> {
            assertThat(i.state().name()).isEqualTo(InstanceStateName.PENDING);
            assertThat(i.instanceId()).matches("i-0[0-9a-f]{16}");
        });
        run.instances().forEach(i -> instanceIds.add(i.instanceId()));

        ec2.waiter().waitUntilInstanceRunning(b -> b.instanceIds(instanceIds));

        List<Instance> running = instances(b -> b.filters(filter("tag:" + CLUSTER_TAG, "ec2test"),
                filter("instance-state-name", "running")));
        assertThat(running).extracting(Instance::instanceId).containsExactlyInAnyOrderElementsOf(instanceIds);
        for (Instance i : running) {
            assertThat(i.publicIpAddress()).as("the lab address is the public one too").isEqualTo(i.privateIpAddress());
            assertThat(i.privateDnsName()).isEqualTo("ip-" + i.privateIpAddress().replace('.', '-') + ".ec2.internal");
            assertThat(i.securityGroups()).singleElement().satisfies(g -> assertThat(g.groupId()).isEqualTo(groupId));
            assertThat(docker("exec", LAB + "-" + i.instanceId(), "hostname").strip())
                    .isEqualTo("ip-" + i.privateIpAddress().replace('.', '-'));
        }
    }

    @Test
    @Order(5)
    void attachesOneGibVolumesThatAppearAsXvdfInsideEachInstance() {
        for (String instanceId : instanceIds) {
            CreateVolumeResponse volume = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(1).volumeType("gp3")
                    .tagSpecifications(tags(ResourceType.VOLUME)));
            assertThat(volume.volumeId()).matches("vol-0[0-9a-f]{16}");
            volumeIds.add(volume.volumeId());
            ec2.waiter().waitUntilVolumeAvailable(b -> b.volumeIds(volume.volumeId()));
            ec2.attachVolume(AttachVolumeRequest.builder().volumeId(volume.volumeId()).instanceId(instanceId)
                    .device("/dev/sdf").build());
        }
        ec2.waiter().waitUntilVolumeInUse(b -> b.volumeIds(volumeIds));
        awaitAttachments(VolumeAttachmentState.ATTACHED);
        for (int k = 0; k < instanceIds.size(); k++) {
            String container = LAB + "-" + instanceIds.get(k);
            assertThat(docker("exec", container, "blockdev", "--getsize64", "/dev/xvdf").strip())
                    .as("/dev/xvdf in " + instanceIds.get(k)).isEqualTo(String.valueOf(GIB));
            String volumeId = volumeIds.get(k);
            Volume v = ec2.describeVolumes(b -> b.volumeIds(volumeId)).volumes().get(0);
            assertThat(v.state()).isEqualTo(VolumeState.IN_USE);
            assertThat(v.attachments()).singleElement().satisfies(a -> {
                assertThat(a.device()).isEqualTo("/dev/sdf");
                assertThat(a.deleteOnTermination()).isFalse();
            });
        }
    }

    @Test
    @Order(6)
    void sshWithTheImportedKeyVerifiesTheHostKeyFromTheConsoleOutput() throws Exception {
        for (Instance i : instances(b -> b.instanceIds(instanceIds))) {
            String console = new String(Base64.getDecoder().decode(
                    ec2.getConsoleOutput(b -> b.instanceId(i.instanceId())).output()), StandardCharsets.UTF_8);
            List<String> keys = between(console, "-----BEGIN SSH HOST KEY KEYS-----", "-----END SSH HOST KEY KEYS-----");
            List<String> prints = between(console, "-----BEGIN SSH HOST KEY FINGERPRINTS-----",
                    "-----END SSH HOST KEY FINGERPRINTS-----");
            assertThat(keys).anyMatch(k -> k.startsWith("ssh-ed25519 AAAA") && k.endsWith("@" + hostname(i)));
            assertThat(prints).anyMatch(p -> p.matches("(ec2: )?256 SHA256:\\S+ root@" + hostname(i) + " \\(ED25519\\)"));
            Path knownHosts = sshDir.resolve("known_hosts-" + i.instanceId());
            StringBuilder lines = new StringBuilder();
            keys.forEach(k -> lines.append(i.publicIpAddress()).append(' ').append(k).append('\n'));
            Files.writeString(knownHosts, lines);

            String out = run("ssh", "-i", sshDir.resolve("id").toString(), "-o", "StrictHostKeyChecking=yes",
                    "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "root@" + i.publicIpAddress(), "hostname");
            assertThat(out.strip()).isEqualTo(hostname(i));

            Files.writeString(knownHosts, i.publicIpAddress() + " ssh-ed25519 "
                    + "AAAAC3NzaC1lZDI1NTE5AAAAIEz3yrJkM0gUOfY7mG4YV4m5w2l0o0r7Qm6yXgq0y1b9\n");
            assertThat(runStatus("ssh", "-i", sshDir.resolve("id").toString(), "-o", "StrictHostKeyChecking=yes",
                    "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "BatchMode=yes", "root@" + i.publicIpAddress(), "true"))
                    .as("a wrong known host key is refused").isNotZero();
        }
    }

    @Test
    @Order(7)
    void filtersAndPagesLikeEc2() {
        assertThat(instances(b -> b.filters(filter("instance-id", instanceIds.get(0))))).hasSize(1);
        assertThat(instances(b -> b.filters(filter("key-name", "ec2test-key"), filter("group-name", "ec2test-sg"))))
                .hasSize(2);
        assertThat(instances(b -> b.filters(filter("tag-key", "no-such-tag")))).isEmpty();
        assertThat(instances(b -> b.filters(filter("vpc-id", "vpc-0*")))).hasSize(2);
        assertThat(ec2.describeVolumes(b -> b.filters(filter("attachment.instance-id", instanceIds.get(1)),
                filter("attachment.device", "/dev/sdf"))).volumes())
                .extracting(Volume::volumeId).containsExactly(volumeIds.get(1));
        assertThat(ec2.describeVolumes(b -> b.filters(filter("status", "in-use"), filter("volume-id", volumeIds.get(0))))
                .volumes()).hasSize(1);
        assertThatThrownBy(() -> ec2.describeInstances(b -> b.maxResults(2)))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));

        List<String> extra = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            extra.add(ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(1).tagSpecifications(
                    TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(Tag.builder().key("page").value("yes")
                            .build()).build())).volumeId());
        }
        List<Integer> pageSizes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        ec2.describeVolumesPaginator(DescribeVolumesRequest.builder().maxResults(5).filters(filter("tag:page", "yes")).build())
                .forEach(p -> {
                    pageSizes.add(p.volumes().size());
                    p.volumes().forEach(v -> seen.add(v.volumeId()));
                });
        assertThat(pageSizes).containsExactly(5, 1);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(extra);
        int pages = 0;
        for (var page : ec2.describeInstancesPaginator(DescribeInstancesRequest.builder().maxResults(5).build())) {
            pages++;
            assertThat(page.reservations().stream().mapToInt(r -> r.instances().size()).sum()).isEqualTo(2);
        }
        assertThat(pages).isEqualTo(1);
        extra.forEach(id -> ec2.deleteVolume(b -> b.volumeId(id)));
    }

    @Test
    @Order(8)
    void answersEc2sErrorCodes() {
        assertThatThrownBy(() -> ec2.describeInstances(b -> b.instanceIds("i-0123456789abcdef0")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(errorCode(e)).isEqualTo("InvalidInstanceID.NotFound");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.requestId()).isNotBlank();
                });
        assertThatThrownBy(() -> ec2.deleteVolume(b -> b.volumeId(volumeIds.get(0))))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(errorCode(e)).isEqualTo("VolumeInUse"));
        assertThatThrownBy(() -> ec2.attachVolume(b -> b.volumeId(volumeIds.get(0)).instanceId(instanceIds.get(1))
                .device("/dev/sdg")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(errorCode(e)).isEqualTo("VolumeInUse"));
        assertThatThrownBy(() -> ec2.deleteSecurityGroup(b -> b.groupId(groupId)))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(errorCode(e)).isEqualTo("DependencyViolation"));
        assertThatThrownBy(() -> ec2.runInstances(b -> b.imageId(imageId()).minCount(1).maxCount(1).keyName("missing")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(errorCode(e)).isEqualTo("InvalidKeyPair.NotFound"));
    }

    @Test
    @Order(9)
    void aThrottledShareOfCallsIsRetriedByTheSdk() throws Exception {
        emulator.setFaults(new Ec2FaultSettings(0.2, 0, 0));
        List<Integer> statuses = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            statuses.add(rawCall("Action=DescribeAvailabilityZones&Version=2016-11-15").statusCode());
        }
        assertThat(statuses).as("every 5th call is throttled").containsExactly(200, 200, 200, 200, 503);
        assertThat(rawCall("Action=DescribeVpcs&Version=2016-11-15").body()).doesNotContain("RequestLimitExceeded");

        for (int k = 0; k < 20; k++) {
            assertThat(instances(b -> b.instanceIds(instanceIds))).hasSize(2);
            assertThat(ec2.describeVolumes(b -> b.volumeIds(volumeIds)).volumes()).hasSize(2);
        }
        HttpResponse<String> throttled = null;
        for (int k = 0; k < 5 && throttled == null; k++) {
            HttpResponse<String> r = rawCall("Action=DescribeVpcs&Version=2016-11-15");
            throttled = r.statusCode() == 503 ? r : null;
        }
        assertThat(throttled).isNotNull();
        assertThat(throttled.body()).contains("<Code>RequestLimitExceeded</Code>").contains("<RequestID>");
        control("POST", "/_rigger/reset-faults", "");
        assertThat(emulator.faults()).isEqualTo(Ec2FaultSettings.none());
    }

    @Test
    @Order(10)
    void aRestartedEmulatorKeepsItsStateAndDevicesAndRestartsAStoppedHost() throws Exception {
        emulator.close();
        ec2.close();
        // as after a crash of the host: a new /dev without the volume's device node
        docker("stop", "-t", "1", LAB + "-" + instanceIds.get(0));
        emulator = Ec2Emulator.start(options);
        ec2 = client(emulator);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (dockerStatus("exec", LAB + "-" + instanceIds.get(0), "test", "-b", "/dev/xvdf") != 0) {
            assertThat(System.nanoTime()).as("/dev/xvdf back in the restarted host within 30 s").isLessThan(deadline);
            sleep(200);
        }

        assertThat(instances(b -> b.filters(filter("instance-state-name", "running"))))
                .extracting(Instance::instanceId).containsExactlyInAnyOrderElementsOf(instanceIds);
        assertThat(ec2.describeVolumes(b -> b.volumeIds(volumeIds)).volumes())
                .allSatisfy(v -> assertThat(v.attachments().get(0).state()).isEqualTo(VolumeAttachmentState.ATTACHED));
        assertThat(ec2.describeKeyPairs().keyPairs()).hasSize(1);
        assertThat(ec2.describeSecurityGroups().securityGroups()).hasSize(1);
        assertThat(control("GET", "/_rigger/state", null).body()).contains(instanceIds.get(0)).contains(volumeIds.get(1));
        for (String id : instanceIds) {
            assertThat(docker("exec", LAB + "-" + id, "blockdev", "--getsize64", "/dev/xvdf").strip())
                    .isEqualTo(String.valueOf(GIB));
        }
    }

    @Test
    @Order(11)
    void detachingAVolumeTakesItOutOfTheInstanceAndReleasesItsLoopDevice() {
        String volumeId = volumeIds.get(1);
        ec2.detachVolume(b -> b.volumeId(volumeId));
        ec2.waiter().waitUntilVolumeAvailable(b -> b.volumeIds(volumeId));
        assertThat(dockerStatus("exec", LAB + "-" + instanceIds.get(1), "test", "-e", "/dev/xvdf")).isNotZero();
        assertThat(run("losetup", "--list", "--noheadings", "--output", "BACK-FILE")).doesNotContain(volumeId);
        ec2.deleteVolume(b -> b.volumeId(volumeId));
        assertThat(ec2.describeVolumes(b -> b.filters(filter("volume-id", volumeId))).volumes()).isEmpty();
    }

    @Test
    @Order(12)
    void terminatingAndDeletingEverythingLeavesNoContainerNorLoopDevice() {
        ec2.terminateInstances(b -> b.instanceIds(instanceIds));
        ec2.waiter().waitUntilInstanceTerminated(b -> b.instanceIds(instanceIds));
        assertThat(docker("ps", "-a", "-q", "--filter", "label=dev.rigger.lab=" + LAB).strip()).isEmpty();
        Volume left = ec2.describeVolumes(b -> b.volumeIds(volumeIds.get(0))).volumes().get(0);
        assertThat(left.state()).as("data volumes outlive their instance").isEqualTo(VolumeState.AVAILABLE);
        assertThat(ec2.describeVolumes(b -> b.filters(filter("attachment.device", "/dev/sda1"))).volumes())
                .as("root volumes go with their instance").isEmpty();

        ec2.deleteVolume(b -> b.volumeId(volumeIds.get(0)));
        ec2.deleteSecurityGroup(b -> b.groupId(groupId));
        ec2.deleteKeyPair(b -> b.keyName("ec2test-key"));
        emulator.deleteEverything();

        assertThat(ec2.describeVolumes().volumes()).isEmpty();
        assertThat(ec2.describeSecurityGroups().securityGroups()).isEmpty();
        assertThat(ec2.describeKeyPairs().keyPairs()).isEmpty();
        assertThat(run("losetup", "--list", "--noheadings", "--output", "BACK-FILE")).doesNotContain(stateRoot.toString());
        assertThat(docker("ps", "-a", "-q", "--filter", "label=dev.rigger.lab=" + LAB).strip()).isEmpty();
    }

    // --- helpers

    private String imageId() {
        return ec2.describeImages(b -> b.owners("099720109477")).images().get(0).imageId();
    }

    private List<Instance> instances(java.util.function.Consumer<DescribeInstancesRequest.Builder> request) {
        return ec2.describeInstances(request).reservations().stream().flatMap(r -> r.instances().stream()).toList();
    }

    private void awaitAttachments(VolumeAttachmentState wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Supplier<DescribeVolumesResponse> describe = () -> ec2.describeVolumes(b -> b.volumeIds(volumeIds));
        while (!describe.get().volumes().stream().allMatch(v -> v.attachments().size() == 1
                && v.attachments().get(0).state() == wanted)) {
            assertThat(System.nanoTime()).as("attachments " + wanted + " within 60 s").isLessThan(deadline);
            sleep(200);
        }
    }

    private static String hostname(Instance i) {
        return "ip-" + i.privateIpAddress().replace('.', '-');
    }

    private static List<String> between(String text, String begin, String end) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : text.split("\r?\n")) {
            String bare = line.replaceFirst("^ec2: ", "");
            if (bare.equals(begin)) {
                inside = true;
            } else if (bare.equals(end)) {
                inside = false;
            } else if (inside) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private static TagSpecification tags(ResourceType type) {
        return TagSpecification.builder().resourceType(type).tags(Tag.builder().key(CLUSTER_TAG).value("ec2test").build(),
                Tag.builder().key("Name").value("ec2test-" + type).build()).build();
    }

    private static String errorCode(Ec2Exception e) {
        return e.awsErrorDetails().errorCode();
    }

    private HttpResponse<String> rawCall(String body) throws Exception {
        return SignedCall.send(emulator, "POST", "/", body);
    }

    private HttpResponse<String> control(String method, String path, String body) throws Exception {
        HttpResponse<String> response = SignedCall.send(emulator, body == null ? "GET" : method, path, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private static String docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return run(argv.toArray(String[]::new));
    }

    private static int dockerStatus(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return runStatus(argv.toArray(String[]::new));
    }

    /** Runs a command on this machine; it must succeed. */
    static String run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int runStatus(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            return p.waitFor();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
