package dev.rigger.controller.modules.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.e2e.Prerequisites;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.inventory.RunInventory;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerModules;
import dev.rigger.controller.modules.HostAccess;
import dev.rigger.lab.Lab;
import dev.rigger.lab.ec2.Ec2Emulator;
import dev.rigger.lab.ec2.Ec2EmulatorOptions;
import dev.rigger.lab.ec2.Ec2FaultSettings;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * The module against the EC2 emulator in this process: instances are lab hosts, volumes loop devices.
 * What it made is counted with the SDK's own Describe calls, and the host keys it registered are compared
 * with the keys the hosts' sshd really has.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Ec2ModuleEmulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER = "ec2mod";
    /** Credentials the module picks up from the SDK's chain, distinctive enough to be searched for. */

    private static Path stateDir;
    private static Ec2Emulator emulator;
    private static Ec2Client ec2;
    private static final RecordingInventory inventory = new RecordingInventory();
    private static final ControllerModules modules = new ControllerModules();
    private static List<String> firstInstanceIds;
    private static String node1InstanceId;

    @BeforeAll
    static void startEmulator() throws IOException {
        Prerequisites.requireLab("the EC2 emulator tests");
        stateDir = Files.createTempDirectory("rigger-ec2mod");
        emulator = Ec2Emulator.start(Ec2EmulatorOptions.defaults().withPort(0).withLabName(CLUSTER)
                .withStateRoot(stateDir.resolve("lab")));
        ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(),
                        emulator.credentials().secretAccessKey())))
                .build();
    }

    @AfterAll
    static void removeEverything() throws IOException {
        if (ec2 != null) {
            ec2.close();
        }
        if (emulator != null) {
            emulator.deleteEverything();
            emulator.close();
            // the lab's network outlives the emulator
            Lab.of(emulator.options().labOptions()).down(line -> { });
        }
        if (stateDir != null) {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ObjectNode args(String... extra) {
        ObjectNode a = JSON.createObjectNode()
                .put("cluster", CLUSTER)
                .put("endpoint", emulator.endpoint().toString())
                .put("credentialsFile", Ec2Emulator.credentialsFile(emulator.options()).toString())
                .put("clientCidr", "198.51.100.7/32")
                .put("count", 3)
                .put("instanceType", "t3.micro")
                .put("rootVolumeGiB", 8)
                .put("volumeSizeGiB", 1)
                .put("sshUser", "root")
                .put("group", "ec2hosts")
                .put("pollSec", 0.5)
                .put("capacityBackoffSec", 0.2)
                .put("waitTimeoutSec", 300)
                .put("hostKeyTimeoutSec", 120);
        for (int i = 0; i < extra.length; i += 2) {
            a.put(extra[i], extra[i + 1]);
        }
        return a;
    }

    private static ModuleResult run(ObjectNode args, boolean check) {
        List<String> output = new ArrayList<>();
        ModuleResult r = modules.run("ec2", args, new ControllerModuleContext("localhost", "127.0.0.1", HostAccess.none("localhost"), null,
                check, false, stateDir, output::add, inventory));
        String everything = r.msg() + " " + r.data() + " " + r.steps() + " " + String.join("\n", output);
        assertThat(everything).as("the AWS keys appear nowhere").doesNotContain(emulator.credentials().secretAccessKey());
        return r;
    }

    private static List<Instance> liveInstances() {
        return ec2.describeInstancesPaginator(r -> r.filters(tag(), Filter.builder().name("instance-state-name")
                        .values("pending", "running", "stopping", "stopped", "shutting-down").build()))
                .reservations().stream().flatMap(res -> res.instances().stream()).toList();
    }

    private static List<Volume> volumes() {
        return ec2.describeVolumesPaginator(r -> r.filters(tag())).volumes().stream().toList();
    }

    private static List<SecurityGroup> groups() {
        return ec2.describeSecurityGroups(r -> r.filters(Filter.builder().name("group-name").values("rigger-" + CLUSTER)
                .build())).securityGroups();
    }

    private static int keyPairs() {
        return ec2.describeKeyPairs(r -> r.filters(Filter.builder().name("key-name").values("rigger-" + CLUSTER)
                .build())).keyPairs().size();
    }

    private static Filter tag() {
        return Filter.builder().name("tag:rigger:cluster").values(CLUSTER).build();
    }

    @Test
    @Order(1)
    void aClusterOfOneIsMadeFirst() {
        ModuleResult r = run(args("count", "1"), false);

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(liveInstances()).hasSize(1);
        node1InstanceId = liveInstances().get(0).instanceId();
    }

    @Test
    @Order(2)
    void aLaunchWithoutCapacityFailsNamingTheNodeAndTheErrorCodeAndLeavesWhatExists() {
        emulator.setFaults(new Ec2FaultSettings(0, 2, 0));
        ModuleResult r;
        try {
            r = run(args("capacityRetries", "1"), false);
        } finally {
            emulator.resetFaults();
        }

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains("RunInstances for " + CLUSTER + "-node2: InsufficientInstanceCapacity: ");
        assertThat(liveInstances()).extracting(Instance::instanceId).containsExactly(node1InstanceId);
    }

    @Test
    @Order(3)
    void presentAdoptsNode1MakesTheRestAndRegistersTheHostsWithTheirRealHostKeys() throws Exception {
        ModuleResult r = run(args(), false);

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        List<Instance> instances = liveInstances();
        assertThat(instances).as("exactly 3 instances, after the failed launch too").hasSize(3)
                .allSatisfy(i -> assertThat(i.state().nameAsString()).isEqualTo("running"));
        assertThat(instances).extracting(Instance::instanceId).as("node1 was adopted").contains(node1InstanceId);
        List<Volume> volumes = volumes();
        assertThat(volumes).hasSize(3).allSatisfy(v -> {
            assertThat(v.size()).isEqualTo(1);
            assertThat(v.attachments()).singleElement().satisfies(at -> {
                assertThat(at.device()).isEqualTo("/dev/sdf");
                assertThat(at.stateAsString()).isEqualTo("attached");
            });
        });
        assertThat(groups()).singleElement().satisfies(g -> {
            assertThat(g.ipPermissions()).hasSize(4);
            // read back through the SDK: only the given CIDR, never the world, and no management port
            assertThat(g.ipPermissions()).flatExtracting(p -> p.ipRanges()).extracting(IpRange::cidrIp)
                    .containsOnly("198.51.100.7/32");
            assertThat(g.ipPermissions()).filteredOn(p -> !p.ipRanges().isEmpty())
                    .extracting(p -> p.fromPort() + "-" + p.toPort()).containsExactlyInAnyOrder("22-22", "443-443", "9020-9025");
        });
        assertThat(keyPairs()).isEqualTo(1);

        Map<String, String> containers = containersByInstance();
        assertThat(inventory.hosts.keySet()).containsExactly(CLUSTER + "-node1", CLUSTER + "-node2", CLUSTER + "-node3");
        for (InventoryHost h : inventory.hosts.values()) {
            String instanceId = (String) h.vars().get("instanceId");
            Instance i = instances.stream().filter(x -> x.instanceId().equals(instanceId)).findFirst().orElseThrow();
            assertThat(h.address()).isEqualTo(i.privateIpAddress());
            assertThat(h.groups()).containsExactly("ec2hosts");
            assertThat(h.user()).isEqualTo("root");
            assertThat(volumes).anySatisfy(v -> {
                assertThat(v.volumeId()).isEqualTo(h.vars().get("volumeId"));
                assertThat(v.attachments().get(0).instanceId()).isEqualTo(instanceId);
            });
            String real = docker("exec", containers.get(instanceId), "cat", "/etc/ssh/ssh_host_ed25519_key.pub");
            String[] parts = real.trim().split("\\s+");
            assertThat(h.hostKeys()).as("the host key sshd on %s really has", h.name())
                    .contains(parts[0] + " " + parts[1]);
        }
        Path identity = stateDir.resolve("keys/id_ed25519");
        assertThat(inventory.hosts.values()).allSatisfy(h -> assertThat(h.identityFile()).isEqualTo(identity));
        assertThat(Files.getPosixFilePermissions(identity))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(((Number) r.data().get("ec2Calls")).intValue()).isPositive();
        firstInstanceIds = instances.stream().map(Instance::instanceId).sorted().toList();
    }

    @Test
    @Order(4)
    void aSecondRunUnderThrottlingCreatesNothingAndStillRegistersTheHosts() {
        inventory.hosts.clear();
        emulator.setFaults(new Ec2FaultSettings(0.2, 0, 0));
        ModuleResult r;
        try {
            r = run(args(), false);
        } finally {
            emulator.resetFaults();
        }

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.OK);
        assertThat(r.changed()).isFalse();
        assertThat(liveInstances().stream().map(Instance::instanceId).sorted().toList()).isEqualTo(firstInstanceIds);
        assertThat(volumes()).hasSize(3);
        assertThat(groups()).hasSize(1);
        assertThat(keyPairs()).isEqualTo(1);
        assertThat(inventory.hosts).hasSize(3);
        assertThat(((Number) r.data().get("ec2Requests")).intValue())
                .as("throttled calls were sent again").isGreaterThan(((Number) r.data().get("ec2Calls")).intValue());
    }

    @Test
    @Order(5)
    void checkModeSaysWhatAbsentWouldRemoveAndRemovesNothing() {
        ModuleResult r = run(args("state", "absent"), true);

        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).startsWith("would terminate 3 instances, delete 3 volumes");
        assertThat(liveInstances()).hasSize(3);
        assertThat(inventory.hosts).hasSize(3);
    }

    @Test
    @Order(6)
    void absentLeavesNothingAndASecondAbsentHasNothingToDo() {
        ModuleResult r = run(args("state", "absent"), false);

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(liveInstances()).isEmpty();
        assertThat(volumes()).isEmpty();
        assertThat(groups()).isEmpty();
        assertThat(keyPairs()).isZero();
        assertThat(inventory.hosts).isEmpty();
        assertThat(inventory.removed).contains(CLUSTER + "-node1", CLUSTER + "-node2", CLUSTER + "-node3");

        ModuleResult again = run(args("state", "absent"), false);
        assertThat(again.status()).as(again.msg()).isEqualTo(Status.OK);
        assertThat(again.changed()).isFalse();
    }

    @Test
    @Order(7)
    void aKeyPairOfTheSameNameHoldingAnotherKeyIsRefusedBeforeAnythingIsMade(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).start().waitFor();
        String cluster = CLUSTER + "keys";
        String otherKey = Files.readString(dir.resolve("other.pub"));
        ec2.importKeyPair(r -> r.keyName("rigger-" + cluster).publicKeyMaterial(SdkBytes.fromUtf8String(otherKey)));
        try {
            ModuleResult r = run(args("cluster", cluster), false);

            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.msg()).contains("key pair rigger-" + cluster + ": EC2 holds a different public key than");
            assertThat(ec2.describeSecurityGroups(q -> q.filters(Filter.builder().name("group-name")
                    .values("rigger-" + cluster).build())).securityGroups()).as("nothing was made").isEmpty();
        } finally {
            ec2.deleteKeyPair(r -> r.keyName("rigger-" + cluster));
        }
    }

    private static Map<String, String> containersByInstance() throws IOException {
        Map<String, String> containers = new LinkedHashMap<>();
        JSON.readTree(emulator.stateJson()).path("instances").forEach(i -> {
            if (i.hasNonNull("containerId")) {
                containers.put(i.get("instanceId").asText(), i.get("containerId").asText());
            }
        });
        return containers;
    }

    private static String docker(String... argv) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("docker %s: %s", argv, out).isTrue();
        return out;
    }

    /** Records what the module registers, as the run's inventory would. */
    static final class RecordingInventory implements RunInventory {
        final Map<String, InventoryHost> hosts = new LinkedHashMap<>();
        final List<String> removed = new ArrayList<>();

        @Override
        public synchronized void register(InventoryHost host) {
            hosts.put(host.name(), host);
        }

        @Override
        public synchronized void remove(String name) {
            hosts.remove(name);
            removed.add(name);
        }
    }
}
