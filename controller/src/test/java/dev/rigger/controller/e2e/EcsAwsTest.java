package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.lab.Lab;
import dev.rigger.lab.LabOptions;
import dev.rigger.lab.ec2.Ec2Emulator;
import dev.rigger.lab.ec2.Ec2EmulatorOptions;
import dev.rigger.lab.ec2.Ec2FaultSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code playbooks/ecs-aws.json} pointed at the EC2 emulator: instances, a security group and volumes
 * provisioned through the real AWS SDK, the hosts prepared, ECS deployed and configured on them, a second
 * run that creates nothing, a host whose key changed refused by name, and the teardown leaving nothing.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcsAwsTest {
    private static final ObjectMapper JSON = LabRun.JSON;
    private static final String LAB = "awslab";
    private static final String CLUSTER = "ecsaws";

    private static Path stateDir;
    private static Ec2Emulator emulator;
    private static String playbooks;

    /** Known credentials, so the test can look for them everywhere rigger writes (the emulator accepts any). */
    private static final String AWS_ACCESS_KEY = "AKIARIGGERTESTKEY042";
    private static final String AWS_SECRET_KEY = "rigger/test+Secret/0123456789abcdefghijKLMN";

    @BeforeAll
    static void startEmulator() throws IOException {
        Prerequisites.requireLab();
        System.setProperty("aws.accessKeyId", AWS_ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", AWS_SECRET_KEY);
        stateDir = Files.createTempDirectory("rigger-aws");
        playbooks = System.getProperty("rigger.playbooks", "../playbooks");
        emulator = Ec2Emulator.start(Ec2EmulatorOptions.defaults().withPort(0).withLabName(LAB)
                .withStateRoot(stateDir.resolve("lab")));
    }

    @AfterAll
    static void stopEmulator() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (emulator != null) {
            emulator.deleteEverything();
            emulator.close();
            Lab.of(LabOptions.defaults().withName(LAB).withStateRoot(stateDir.resolve("lab"))).down(line -> { });
        }
        if (stateDir != null) {
            LabRun.deleteTree(stateDir);
        }
    }

    private static List<String> playArgs(String playbook, String... extra) {
        List<String> args = new ArrayList<>(List.of("play", playbooks + "/" + playbook, "--state", stateDir.toString(),
                "-e", "@" + playbooks + "/vars/ec2-emulator.json", "-e", "ec2_endpoint=" + emulator.endpoint(),
                "-e", "cluster=" + CLUSTER, "-e", "ecs_boot_delay=3", "-e", "ecs_store_ready=2"));
        args.addAll(List.of(extra));
        return args;
    }

    private static CliRun play(String playbook, String... extra) {
        return CliRun.of(playArgs(playbook, extra).toArray(String[]::new));
    }

    private static JsonNode ec2() throws IOException {
        return JSON.readTree(emulator.stateJson());
    }

    /** Live resources of each kind in the emulator: what a Describe* call would list. */
    private static Map<String, Integer> counts() throws IOException {
        JsonNode s = ec2();
        Map<String, Integer> c = new LinkedHashMap<>();
        int instances = 0;
        for (JsonNode i : s.path("instances")) {
            if (!"terminated".equals(i.path("state").asText())) {
                instances++;
            }
        }
        c.put("instances", instances);
        int dataVolumes = 0;
        for (JsonNode v : s.path("volumes")) {
            // EC2 also lists each instance's root volume; the data volumes are the ones rigger made
            if (!"/dev/sda1".equals(v.path("attachment").path("device").asText())) {
                dataVolumes++;
            }
        }
        c.put("volumes", dataVolumes);
        c.put("allVolumes", s.path("volumes").size());
        c.put("securityGroups", s.path("securityGroups").size());
        c.put("keyPairs", s.path("keyPairs").size());
        return c;
    }

    /** The recorded hosts: name -> instance id, from the state the ec2 task wrote. */
    private static Map<String, String> hosts() throws IOException {
        Map<String, String> hosts = new LinkedHashMap<>();
        JsonNode recorded = JSON.readTree(stateDir.resolve("state.json").toFile()).path("inventory").path("hosts");
        recorded.fields().forEachRemaining(e -> hosts.put(e.getKey(), e.getValue().path("vars").path("instanceId").asText()));
        return hosts;
    }

    private static Node node(String instanceId) {
        return new Node(LAB + "-" + instanceId);
    }

    @Test
    @Order(0)
    void aControllerKilledWhileProvisioningLeavesWhatItMadeForTheNextRunToAdopt() throws Exception {
        emulator.setFaults(new Ec2FaultSettings(0, 0, 4));
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drigger.agent.jar=" + System.getProperty("rigger.agent.jar"),
                "-cp", System.getProperty("java.class.path"), "dev.rigger.controller.cli.RiggerCli"));
        argv.addAll(playArgs("ecs-aws.json", "--tags", "provision"));
        Process controller = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("killed-controller.log").toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (counts().get("instances") == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(counts().get("instances")).as("the controller got as far as launching").isPositive();
        } finally {
            controller.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            emulator.resetFaults();
        }
        assertThat(controller.exitValue()).as("killed, not finished").isNotZero();
    }

    @Test
    @Order(1)
    void theAwsPlaybookProvisionsPreparesDeploysAndConfiguresThroughTheEmulator() throws IOException {
        CliRun run = play("ecs-aws.json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        // what the killed controller launched was adopted: nothing twice, nothing left over
        assertThat(counts()).containsEntry("instances", 3).containsEntry("volumes", 3)
                .containsEntry("securityGroups", 1).containsEntry("keyPairs", 1);
        assertThat(hosts()).hasSize(3);
        for (String instanceId : hosts().values()) {
            Node n = node(instanceId);
            JsonNode c = JSON.readTree(n.sh("docker inspect ecs-storageos")).get(0);
            assertThat(c.path("State").path("Running").asBoolean()).as("ECS runs on %s", instanceId).isTrue();
            assertThat(n.sh("findmnt -n -o FSTYPE --target /ecs/uuid-*")).isEqualTo("xfs");
        }
        Path credentials = stateDir.resolve("ecs").resolve("ns1-object_admin1.json");
        String s3Secret = JSON.readTree(credentials.toFile()).path("secretAccessKey").asText();
        assertThat(s3Secret).isNotBlank();
        for (String secret : List.of(AWS_SECRET_KEY, AWS_ACCESS_KEY, s3Secret, "ChangeMe")) {
            assertThat(run.out() + run.err()).as("output").doesNotContain(secret);
            try (java.util.stream.Stream<Path> files = Files.walk(stateDir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (f.equals(credentials) || f.startsWith(stateDir.resolve("lab"))) {
                        continue; // the S3 key's own 0600 file; the emulator's and the lab's own files
                    }
                    assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .as("%s", f).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    @Order(2)
    void aSecondRunWithAFifthOfTheCallsThrottledCreatesNoEc2ResourceAndChangesNothing() throws IOException {
        Map<String, Integer> before = counts();
        Map<String, String> hostsBefore = hosts();
        emulator.setFaults(new Ec2FaultSettings(0.2, 0, 0));

        CliRun run;
        try {
            run = play("ecs-aws.json");
        } finally {
            emulator.resetFaults();
        }

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("localhost\\s+: ok=1\\s+changed=0");
        for (String host : hostsBefore.keySet()) {
            assertThat(run.out()).containsPattern(host + "\\s+: ok=\\d+\\s+changed=0\\s+unreachable=0\\s+failed=0");
        }
        assertThat(counts()).isEqualTo(before);
        assertThat(hosts()).isEqualTo(hostsBefore);
    }

    @Test
    @Order(3)
    void aHostWhoseKeyChangedAfterProvisioningIsRefusedByName() throws IOException, InterruptedException {
        Map.Entry<String, String> second = new ArrayList<>(hosts().entrySet()).get(1);
        Node n = node(second.getValue());
        n.sh("rm -f /etc/ssh/ssh_host_* && ssh-keygen -q -A");
        Process restart = new ProcessBuilder("docker", "restart", "-t", "1", LAB + "-" + second.getValue())
                .redirectErrorStream(true).start();
        String out = new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(restart.waitFor(60, TimeUnit.SECONDS) && restart.exitValue() == 0).as(out).isTrue();

        CliRun run = play("ecs-aws.json", "--skip-tags", "objectprep");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.out()).containsPattern("unreachable: \\[" + second.getKey() + "\\].*" + second.getKey()
                + ".*does not match");
    }

    @Test
    @Order(4)
    void theTeardownLeavesNoEc2ResourceNoContainerAndNoLoopDevice() throws IOException, InterruptedException {
        CliRun run = play("ecs-aws-down.json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(counts()).containsEntry("instances", 0).containsEntry("allVolumes", 0)
                .containsEntry("securityGroups", 0).containsEntry("keyPairs", 0);
        Process ps = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=dev.rigger.lab=" + LAB).start();
        assertThat(new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).as("containers").isEmpty();
        Process loops = new ProcessBuilder("losetup", "-a").start();
        assertThat(new String(loops.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .as("loop devices").doesNotContain(stateDir.toString());
    }
}
