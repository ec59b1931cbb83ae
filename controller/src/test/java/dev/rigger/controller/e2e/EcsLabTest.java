package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.lab.ecs.EcsSimulatorImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code playbooks/ecs-lab.json} on three lab nodes with Docker inside: hosts prepared, block bins,
 * the ECS simulator shipped and run as ECS CE runs it, object prep through its management API.
 * Checked from outside: {@code docker inspect} inside each node and the simulator's own state.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcsLabTest {
    private static final ObjectMapper JSON = LabRun.JSON;
    private static final String CONTAINER = "ecs-storageos";

    private static LabRun cluster;
    private static Path stateDir;

    @BeforeAll
    static void labUp() throws IOException {
        // this build's simulator by its content tag: :latest is shared with every lab on this dockerd
        String image = EcsSimulatorImage.ensure(line -> { });
        cluster = new LabRun("ecslab", 3, "ecs-lab.json", "-e", "ecs_boot_delay=3", "-e", "ecs_store_ready=2",
                "-e", "ecs_image=" + image);
        stateDir = cluster.stateDir;
    }

    @AfterAll
    static void labDown() {
        if (cluster != null) {
            cluster.close();
        }
    }




    /** The simulator's own record of what object prep made, read inside node1. */
    private static JsonNode simulatorState() throws IOException {
        return JSON.readTree(cluster.node("node1").sh("cat /data/ecssim/state.json"));
    }

    private static Path credentialsFile() {
        return stateDir.resolve("ecs").resolve("ns1-object_admin1.json");
    }

    @Test
    @Order(1)
    void theWholePipelineRunsAndObjectPrepCompletes() throws IOException {
        CliRun run = cluster.play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).as("long steps show their progress without -v")
                .containsPattern("\\[node1\\] sent [0-9.]+ of (about )?[0-9.]+ MB")
                .containsPattern("\\[node1\\] .*management API answers");
        for (String n : cluster.nodeNames()) {
            JsonNode c = JSON.readTree(cluster.node(n).sh("docker inspect " + CONTAINER)).get(0);
            assertThat(c.path("State").path("Running").asBoolean()).as("%s: ECS runs", n).isTrue();
            JsonNode host = c.path("HostConfig");
            assertThat(host.path("NetworkMode").asText()).isEqualTo("host");
            assertThat(host.path("Privileged").asBoolean()).isTrue();
            assertThat(host.path("RestartPolicy").path("Name").asText()).isIn("no", "");
            assertThat(c.path("Config").path("StopTimeout").asInt()).isEqualTo(300);
            List<String> binds = new ArrayList<>();
            // Docker spells out the default mode: "/ecs:/dae:rw,z" for the "/ecs:/dae:z" asked for
            host.path("Binds").forEach(b -> binds.add(b.asText().replace(":rw,", ":")));
            assertThat(binds).contains("/ecs:/dae:z", "/ecs:/disks:z", "/host:/host:z",
                    "/var/log/vipr/emcvipr-object:/var/log:z", "/data:/data:z", "/dev/urandom:/dev/random:z");
            List<String> env = new ArrayList<>();
            c.path("Config").path("Env").forEach(e -> env.add(e.asText()));
            assertThat(env).contains("SS_GENCONFIG=1");
            String bins = cluster.node(n).sh("ls /ecs/uuid-*/ | grep -c '^[0-9][0-9][0-9][0-9]$'");
            assertThat(Integer.parseInt(bins)).as("%s: block bins", n).isPositive();
        }
        JsonNode state = simulatorState();
        assertThat(state.path("licenseText").asText()).as("one license").isNotBlank();
        assertThat(state.path("storagePools").size()).isEqualTo(1);
        assertThat(state.path("dataStores").size()).isEqualTo(3);
        state.path("dataStores").forEach(s -> assertThat(s.path("device_state").asText()).isEqualTo("readytouse"));
        assertThat(state.path("vdcs").size()).isEqualTo(1);
        assertThat(state.path("replicationGroups").size()).isEqualTo(1);
        assertThat(state.path("namespaces").size()).isEqualTo(1);
        assertThat(state.path("users").size()).isEqualTo(1);
        JsonNode keys = state.path("secretKeys").path("object_admin1");
        assertThat(keys.path("secret_key_1").asText()).as("the user has a key").isNotBlank();
        assertThat(keys.path("secret_key_2").asText()).as("and only one").isEmpty();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentialsFile()))).isEqualTo("rw-------");
        String secret = JSON.readTree(credentialsFile().toFile()).path("secretAccessKey").asText();
        assertThat(secret).as("the file holds the key ECS made").isEqualTo(keys.path("secret_key_1").asText());
        assertThat(run.out() + run.err()).as("the secret is never printed").doesNotContain(secret);
        try (Stream<Path> logs = Files.list(stateDir.resolve("runs"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as("the secret is not in the run log").doesNotContain(secret);
            }
        }
        assertThat(Files.readString(stateDir.resolve("state.json"))).doesNotContain(secret);
    }

    @Test
    @Order(7)
    void noSecretAppearsInAnyOutputLogOrStateFile() throws IOException {
        String secret = JSON.readTree(credentialsFile().toFile()).path("secretAccessKey").asText();
        String password = "ChangeMe";
        CliRun verbose = cluster.play("-v", "--diff");
        CliRun json = cluster.play("--json");
        CliRun facts = CliRun.of("facts", "node1", "--json", "--state", stateDir.toString(), "--lab", cluster.name);

        assertThat(verbose.exitCode()).as(verbose.out()).isZero();
        for (CliRun run : List.of(verbose, json, facts)) {
            assertThat(run.out() + run.err()).doesNotContain(secret).doesNotContain(password);
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.equals(credentialsFile()) || f.startsWith(stateDir.resolve("lab"))) {
                    continue; // the key's own 0600 file; the lab's node keys and disk images are not rigger's output
                }
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(text).as("%s", f).doesNotContain(secret).doesNotContain(password);
            }
        }
    }

    @Test
    @Order(2)
    void aSecondRunChangesNothingDuplicatesNothingAndRotatesNoKey() throws IOException {
        JsonNode before = simulatorState();
        String secret = JSON.readTree(credentialsFile().toFile()).path("secretAccessKey").asText();

        CliRun run = cluster.play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        for (String n : cluster.nodeNames()) {
            assertThat(run.out()).containsPattern(n + "\\s+: ok=\\d+\\s+changed=0\\s+unreachable=0\\s+failed=0");
        }
        assertThat(simulatorState()).as("no object was added or changed").isEqualTo(before);
        assertThat(JSON.readTree(credentialsFile().toFile()).path("secretAccessKey").asText()).isEqualTo(secret);
    }

    @Test
    @Order(3)
    void aWronglyPreparedNodeFailsQuotingTheContainersLastLogLines() {
        Node node3 = cluster.node("node3");
        node3.sh("docker rm -f " + CONTAINER + " && rm /host/data/network.json");

        CliRun run = cluster.play("--limit", "node3", "--tags", "deploy");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).containsPattern("(?s)failed: \\[node3\\].*exited with code 1.*\\| Error: network json file not found");
    }

    @Test
    @Order(4)
    void aNodeWhoseDataDiskIsUnmountedFailsQuotingTheContainersLastLogLines() {
        Node node1 = cluster.node("node1");
        node1.sh("docker rm -f " + CONTAINER + " && umount /ecs/uuid-*");

        CliRun run = cluster.play("--limit", "node1", "--tags", "deploy");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).containsPattern("(?s)failed: \\[node1\\].*exited with code 1.*\\| Error: no XFS filesystem mounted below");
    }

    @Test
    @Order(5)
    void oneFailedNodeIsRepairedAloneAndTheOthersGetNoTask() throws IOException {
        Map<String, String> before = new TreeMap<>();
        for (String n : List.of("node1", "node3")) {
            before.put(n, cluster.node(n).sh("docker inspect -f '{{.Id}} {{.State.StartedAt}}' " + CONTAINER
                    + " 2>/dev/null; cat /etc/fstab /etc/hosts; ls -la --time-style=full-iso /host/data /host/files"));
        }
        Node node2 = cluster.node("node2");
        node2.sh("docker stop -t 1 " + CONTAINER + " && rm -rf /host/data");

        CliRun run = cluster.play("--limit", "node2");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(JSON.readTree(node2.sh("docker inspect " + CONTAINER)).get(0).path("State").path("Running").asBoolean()).isTrue();
        assertThat(node2.sh("cat /host/data/network.json")).contains("data_ip");
        List<JsonNode> started = cluster.lastRunEvents("TaskStarted");
        assertThat(started).isNotEmpty();
        assertThat(started).allSatisfy(e -> assertThat(e.path("host").asText()).isEqualTo("node2"));
        for (String n : List.of("node1", "node3")) {
            assertThat(cluster.node(n).sh("docker inspect -f '{{.Id}} {{.State.StartedAt}}' " + CONTAINER
                    + " 2>/dev/null; cat /etc/fstab /etc/hosts; ls -la --time-style=full-iso /host/data /host/files"))
                    .as("%s is untouched", n).isEqualTo(before.get(n));
        }
    }

    @Test
    @Order(6)
    void aRetryableEcsErrorIsRetriedWithBackoffAndAnotherStopsTheTaskWithItsCode() {
        CliRun repaired = cluster.play();
        assertThat(repaired.exitCode()).as("the nodes broken above are whole again: " + repaired.out()).isZero();
        Node node1 = cluster.node("node1");
        try {
            node1.sh("printf '%s' '{\"rules\":[{\"method\":\"GET\",\"pathPrefix\":\"/vdc/data-services/varrays\",\"times\":2,"
                    + "\"status\":503,\"code\":6503,\"retryable\":true,\"description\":\"service restarting\"}]}' > /data/ecssim/faults.json");

            CliRun retried = cluster.play("--tags", "objectprep");

            assertThat(retried.exitCode()).as(retried.out() + retried.err()).isZero();
            assertThat(retried.out())
                    .containsPattern("\\[node1\\] GET /vdc/data-services/varrays: HTTP 503, ECS error 6503: service restarting.*"
                            + "\\(retryable\\); trying again in 0.5 s \\(attempt 2 of 6\\)")
                    .contains("trying again in 1.0 s (attempt 3 of 6)")
                    .doesNotContain("attempt 4 of 6");
            assertThat(node1.sh("cat /data/ecssim/faults.json")).as("both injected errors were served").contains("\"times\":0");

            node1.sh("printf '%s' '{\"rules\":[{\"method\":\"GET\",\"pathPrefix\":\"/vdc/data-services/varrays\",\"times\":1,"
                    + "\"status\":400,\"code\":1008,\"retryable\":false,\"description\":\"invalid query\"}]}' > /data/ecssim/faults.json");

            CliRun stopped = cluster.play("--tags", "objectprep");

            assertThat(stopped.exitCode()).isEqualTo(1);
            assertThat(stopped.out()).containsPattern("failed: \\[node1\\].*HTTP 400, ECS error 1008: invalid query")
                    .doesNotContain("trying again");
        } finally {
            node1.sh("rm -f /data/ecssim/faults.json");
        }
    }
}
