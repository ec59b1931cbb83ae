package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.controller.modules.ecs.EcsTrust;
import dev.rigger.lab.Lab;
import dev.rigger.lab.LabOptions;
import dev.rigger.lab.ec2.Ec2Emulator;
import dev.rigger.lab.ec2.Ec2EmulatorOptions;
import dev.rigger.lab.ec2.Ec2FaultSettings;
import dev.rigger.lab.ecs.EcsSimulatorImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * {@code playbooks/ecs-aws.json} pointed at the EC2 emulator: instances, a security group and volumes
 * provisioned through the real AWS SDK, the hosts prepared, ECS deployed and configured on them, a second
 * run that creates nothing, a host whose key changed refused by name, and the teardown leaving nothing.
 * On the way: the security group is open only to the given CIDR, ECS's root password is changed from
 * ChangeMe, and a listener on ECS's port that is not ECS gets no password.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcsAwsTest {
    private static final ObjectMapper JSON = LabRun.JSON;
    private static final String LAB = "awslab";
    private static final String CLUSTER = "ecsaws";

    /** The clients' and the controller's address: the emulator records the rules, the lab network enforces none. */
    private static final String CLIENT_CIDR = "203.0.113.10/32";
    /** What object prep must change root's password to; given in a 0600 vars file, as the docs say secrets are. */
    private static final String ECS_PASSWORD = "Aws-" + UUID.randomUUID();

    private static Path stateDir;
    private static Path secrets;
    private static String simulatorImage;
    private static Ec2Emulator emulator;
    private static String playbooks;

    @BeforeAll
    static void startEmulator() throws IOException {
        Prerequisites.requireLab();
        stateDir = Files.createTempDirectory("rigger-aws");
        // this build's simulator by its content tag: :latest is shared with every lab on this dockerd
        simulatorImage = EcsSimulatorImage.ensure(line -> { });
        playbooks = System.getProperty("rigger.playbooks", "../playbooks");
        emulator = Ec2Emulator.start(Ec2EmulatorOptions.defaults().withPort(0).withLabName(LAB)
                .withStateRoot(stateDir.resolve("lab")));
        secrets = stateDir.resolve("secrets.json");
        Files.createFile(secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secrets, JSON.createObjectNode().put("ecs_password", ECS_PASSWORD).toString());
    }

    @AfterAll
    static void stopEmulator() {
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
        List<String> args = baseArgs(playbook);
        args.addAll(List.of("-e", "client_cidr=" + CLIENT_CIDR, "-e", "@" + secrets));
        args.addAll(List.of(extra));
        return args;
    }

    /** Without the client CIDR and the ECS password: what the playbooks get when the user gives neither. */
    private static List<String> baseArgs(String playbook) {
        return new ArrayList<>(List.of("play", playbooks + "/" + playbook, "--state", stateDir.toString(),
                "-e", "@" + playbooks + "/vars/ec2-emulator.json", "-e", "ec2_endpoint=" + emulator.endpoint(),
                "-e", "aws_credentials_file=" + Ec2Emulator.credentialsFile(emulator.options()),
                "-e", "cluster=" + CLUSTER, "-e", "ecs_boot_delay=3", "-e", "ecs_store_ready=2",
                "-e", "ecs_image=" + simulatorImage));
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

    /** The host object prep runs on: the group's first. */
    private static String objectPrepHost() throws IOException {
        return hosts().keySet().stream().sorted().findFirst().orElseThrow();
    }

    private static Node objectPrepNode() throws IOException {
        return node(hosts().get(objectPrepHost()));
    }

    /** The address rigger reaches a host at, as the ec2 task recorded it (the node has docker0's too). */
    private static String address(String host) throws IOException {
        return JSON.readTree(stateDir.resolve("state.json").toFile()).path("inventory").path("hosts").path(host)
                .path("address").asText();
    }

    /** A login on the node's management API, trusting only the certificate ECS's container holds. */
    private static int ecsLogin(String host, String password) throws Exception {
        Node n = node(hosts().get(host));
        String pem = n.sh("docker cp ecs-storageos:/etc/ecssim/management.pem /tmp/ecs-cert.pem && cat /tmp/ecs-cert.pem");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        SSLContext tls = EcsTrust.pinnedTo(cert);
        String address = address(host);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
        String basic = Base64.getEncoder().encodeToString(("root:" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("https://" + address + ":4443/login"))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
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
    void withoutAClientCidrTheAwsPlaybookRefusesToOpenTheClusterAndCreatesNothing() throws IOException {
        Map<String, Integer> before = counts();

        CliRun run = CliRun.of(baseArgs("ecs-aws.json").toArray(String[]::new));

        assertThat(run.exitCode()).as(run.out() + run.err()).isNotZero();
        assertThat(run.out() + run.err()).contains("args.clientCidr: required").contains("/32").contains("'world'");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void theAwsPlaybookProvisionsPreparesDeploysAndConfiguresThroughTheEmulator() throws Exception {
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
        for (String secret : List.of(emulator.credentials().secretAccessKey(), s3Secret, ECS_PASSWORD, "ChangeMe")) {
            assertThat(run.out() + run.err()).as("output").doesNotContain(secret);
            try (java.util.stream.Stream<Path> files = Files.walk(stateDir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (f.equals(credentials) || f.startsWith(stateDir.resolve("lab"))) {
                        continue; // the S3 key's own 0600 file; the emulator's and the lab's own files
                    }
                    if (f.equals(secrets)) {
                        continue; // the user's own 0600 vars file
                    }
                    assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .as("%s", f).doesNotContain(secret);
                }
            }
        }
        // the security group as the AWS SDK reads it back: only the given CIDR, and no management port
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            SecurityGroup group = ec2.describeSecurityGroups(b -> b.groupNames("rigger-" + CLUSTER)).securityGroups().get(0);
            assertThat(group.ipPermissions()).flatExtracting(IpPermission::ipRanges).extracting(IpRange::cidrIp)
                    .containsOnly(CLIENT_CIDR);
            assertThat(group.ipPermissions()).filteredOn(p -> !p.ipRanges().isEmpty())
                    .extracting(p -> p.fromPort() + "-" + p.toPort()).containsExactlyInAnyOrder("22-22", "443-443", "9020-9025");
        }
        // root's password was changed: ChangeMe is refused, the wanted one logs in
        assertThat(address(objectPrepHost())).isNotBlank();
        assertThat(ecsLogin(objectPrepHost(), "ChangeMe")).isEqualTo(401);
        assertThat(ecsLogin(objectPrepHost(), ECS_PASSWORD)).isEqualTo(200);
        assertThat(run.out()).contains("change the management API password of root");
    }

    @Test
    @Order(3)
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
        assertThat(run.out()).doesNotContain("change the management API password");
    }

    @Test
    @Order(4)
    void theAwsPlaybookRefusesEcssDefaultPassword() {
        List<String> args = baseArgs("ecs-aws.json");
        args.addAll(List.of("-e", "client_cidr=" + CLIENT_CIDR, "--tags", "objectprep"));

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.out() + run.err()).contains("ECS's default password is refused");
    }

    @Test
    @Order(5)
    void aListenerOnEcssPortThatIsNotEcsGetsNoPasswordAndStopsTheRun() throws Exception {
        Node prep = objectPrepNode();
        prep.sh("docker stop -t 1 ecs-storageos >/dev/null");
        // any user of the host may listen on 127.0.0.1:4443 while ECS is down: here nobody, with its own certificate
        prep.sh("rm -rf /tmp/mitm && mkdir /tmp/mitm && chown 65534 /tmp/mitm && setsid setpriv --reuid=65534"
                + " --regid=65534 --clear-groups sh -c 'cd /tmp/mitm && openssl req -x509 -newkey rsa:2048 -nodes"
                + " -subj /CN=localhost -keyout k.pem -out c.pem -days 1 2>/dev/null && echo $$ > pid && exec openssl"
                + " s_server -accept 4443 -cert c.pem -key k.pem -quiet > seen.log 2>&1' </dev/null >/dev/null 2>&1 &");
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (prep.run("ss -Hltn 'sport = :4443' | grep -q 4443").exit() != 0) {
                assertThat(System.currentTimeMillis()).as("the listener is up").isLessThan(deadline);
                Thread.sleep(200);
            }

            CliRun run = play("ecs-aws.json", "--tags", "objectprep");

            assertThat(run.exitCode()).as(run.out() + run.err()).isNotZero();
            assertThat(run.out()).contains("not ECS's own").contains("something else is listening on ECS's port");
            String seen = prep.sh("cat /tmp/mitm/seen.log");
            assertThat(seen).as("what the listener received").doesNotContain("Authorization").doesNotContain("login")
                    .doesNotContain(ECS_PASSWORD);
            assertThat(run.out() + run.err()).doesNotContain(ECS_PASSWORD);
        } finally {
            prep.run("kill $(cat /tmp/mitm/pid); rm -rf /tmp/mitm");
            prep.sh("docker start ecs-storageos >/dev/null");
        }
    }

    @Test
    @Order(6)
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
    @Order(7)
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
