package dev.rigger.lab.ec2;

import dev.rigger.lab.Lab;
import dev.rigger.lab.LabPrerequisites;
import dev.rigger.lab.NodeImageKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AMI decides the lab image: Canonical's Ubuntu image launches bare hosts (sshd, python3, apt; Docker only once
 * apt installs it), the account's own full image launches hosts like `rigger lab up` nodes. Real dockerd, real
 * Debian mirror (reached through Docker's NAT), the real aws-sdk-java-v2 client.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Ec2EmulatorImagesTest {
    private static final String LAB = "ec2imgtest";
    private static final String UBUNTU_OWNER = "099720109477";

    private Path stateRoot;
    private Ec2EmulatorOptions options;
    private Ec2Emulator emulator;
    private Ec2Client ec2;
    private String bareInstance;
    private String fullInstance;

    @BeforeAll
    void startEmulator() throws IOException {
        LabPrerequisites.require();
        stateRoot = Files.createTempDirectory("rigger-ec2imgtest-");
        options = Ec2EmulatorOptions.defaults().withPort(0).withLabName(LAB).withStateRoot(stateRoot);
        Lab.of(options.labOptions()).down(line -> { });
        emulator = Ec2Emulator.start(options);
        ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
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
        if (stateRoot != null && Files.exists(stateRoot)) {
            try (Stream<Path> walk = Files.walk(stateRoot)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    @Order(1)
    void listsTheUbuntuImageAndTheAccountsOwnFullLabImage() {
        assertThat(ec2.describeImages().images()).extracting(Image::name).containsExactlyInAnyOrder(
                "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240101", "rigger-lab-node-full");
        assertThat(ec2.describeImages(b -> b.owners("self")).images()).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("rigger-lab-node-full");
            assertThat(i.publicLaunchPermissions()).isFalse();
            assertThat(i.imageId()).matches("ami-0[0-9a-f]{16}");
        });
        assertThat(ec2.describeImages(b -> b.filters(filter("name", "rigger-lab-*"))).images()).hasSize(1);
        assertThat(ec2.describeImages(b -> b.owners(UBUNTU_OWNER)).images()).singleElement()
                .satisfies(i -> assertThat(i.name()).startsWith("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-"));
    }

    @Test
    @Order(2)
    void anUnknownImageIdIsNotFound() {
        assertThatThrownBy(() -> ec2.runInstances(b -> b.imageId("ami-0123456789abcdef0").minCount(1).maxCount(1)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAMIID.NotFound"));
        assertThatThrownBy(() -> ec2.describeImages(b -> b.imageIds("ami-0123456789abcdef0")))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAMIID.NotFound"));
        assertThat(ec2.describeInstances().reservations()).as("nothing launched").isEmpty();
    }

    @Test
    @Order(3)
    void eachInstanceRunsTheLabImageOfItsAmi() {
        String ubuntu = ec2.describeImages(b -> b.owners(UBUNTU_OWNER)).images().get(0).imageId();
        String full = ec2.describeImages(b -> b.owners("self")).images().get(0).imageId();
        bareInstance = ec2.runInstances(b -> b.imageId(ubuntu).instanceType("t3.micro").minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        fullInstance = ec2.runInstances(b -> b.imageId(full).instanceType("t3.micro").minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        ec2.waiter().waitUntilInstanceRunning(b -> b.instanceIds(bareInstance, fullInstance));

        assertThat(run("docker", "inspect", "-f", "{{.Config.Image}}", container(bareInstance)).strip())
                .isEqualTo(Lab.nodeImage(NodeImageKind.BARE));
        assertThat(run("docker", "inspect", "-f", "{{.Config.Image}}", container(fullInstance)).strip())
                .isEqualTo(Lab.nodeImage(NodeImageKind.FULL));
        assertThat(ec2.describeInstances(b -> b.filters(filter("image-id", ubuntu))).reservations())
                .flatExtracting(r -> r.instances()).extracting(i -> i.instanceId()).containsExactly(bareInstance);
    }

    @Test
    @Order(4)
    void aBareInstanceHasNeitherDockerNorXfsprogsAndInstallsXfsprogsFromTheDebianMirror() {
        assertThat(exec(bareInstance, "for p in dockerd mkfs.xfs parted sgdisk java; do command -v $p; done; true"))
                .as("a fresh cloud host has none of them").isBlank();
        assertThat(exec(bareInstance, "pgrep -x dockerd || echo none").strip()).isEqualTo("none");
        exec(bareInstance, "export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q xfsprogs");
        assertThat(exec(bareInstance, "command -v mkfs.xfs").strip()).isEqualTo("/usr/sbin/mkfs.xfs");
    }

    @Test
    @Order(5)
    void dockerInstalledByAptInABareInstanceKeepsTheLabsRuntimeAndRunsAPrivilegedHostNetworkContainer() {
        exec(bareInstance, "export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q --no-install-recommends docker.io");
        assertThat(exec(bareInstance, "cat /etc/docker/daemon.json")).as("apt keeps the lab's daemon.json")
                .contains("\"default-runtime\": \"rigger-lab\"");
        exec(bareInstance, "dockerd >/var/log/dockerd.log 2>&1 </dev/null &");
        String info = exec(bareInstance, "for i in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done;"
                + " docker info --format '{{.DefaultRuntime}} {{.Driver}}' || tail -n 20 /var/log/dockerd.log");
        assertThat(info.strip()).isEqualTo("rigger-lab overlay2");
        String out = exec(bareInstance, "tar -chf - -C / bin/sh lib/x86_64-linux-gnu/libc.so.6 lib64/ld-linux-x86-64.so.2"
                + " | docker import - rigger-tiny:1 >/dev/null"
                + " && docker run --rm --privileged --network host rigger-tiny:1 /bin/sh -c 'echo privileged-ok'");
        assertThat(out.strip()).isEqualTo("privileged-ok");
    }

    @Test
    @Order(6)
    void anInstanceFromTheFullImageRunsDockerFromTheStart() {
        String info = exec(fullInstance, "for i in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done;"
                + " docker info --format '{{.DefaultRuntime}}'; command -v mkfs.xfs; command -v sgdisk");
        assertThat(info.strip().split("\n")).containsExactly("rigger-lab", "/usr/sbin/mkfs.xfs", "/usr/sbin/sgdisk");
    }

    private static String container(String instanceId) {
        return LAB + "-" + instanceId;
    }

    private static String exec(String instanceId, String script) {
        return run("docker", "exec", container(instanceId), "sh", "-c", script);
    }

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private static String run(String... argv) {
        return Ec2EmulatorTest.run(argv);
    }
}
