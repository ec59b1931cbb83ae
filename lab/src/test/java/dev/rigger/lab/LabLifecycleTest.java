package dev.rigger.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.lab.ecs.EcsSimulatorImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One real two-node lab, brought up once and taken down at the end: real dockerd, real loop devices, real
 * sshd, the real OpenSSH client. The node image is built on first use and reused by its tag afterwards.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabLifecycleTest {
    private static final String NAME = "labtest";
    private static final String DISK = "512M";
    private static final String TINY = "lab-tiny:1";

    private final List<String> progress = new ArrayList<>();
    private Path stateRoot;
    private Lab lab;
    private LabInventory inventory;

    @BeforeAll
    void bringUpTwoNodes() throws IOException {
        LabPrerequisites.require();
        stateRoot = Files.createTempDirectory("rigger-labtest-");
        lab = Lab.of(LabOptions.defaults().withName(NAME).withNodes(2).withDiskSize(DISK).withStateRoot(stateRoot));
        lab.down(line -> { });
        inventory = lab.up(progress::add);
    }

    @AfterAll
    void takeEverythingDown() throws IOException {
        if (lab != null) {
            lab.down(line -> { });
        }
        if (stateRoot != null) {
            Files.deleteIfExists(stateRoot);
        }
    }

    @Test
    @Order(1)
    void bothNodesRunWithTheirOwnHostnames() {
        assertThat(inventory.nodes()).extracting(LabNode::name).containsExactly("node1", "node2");
        for (LabNode node : inventory.nodes()) {
            assertThat(docker("inspect", "-f", "{{.State.Running}}", NAME + "-" + node.name()).strip()).isEqualTo("true");
            assertThat(exec(node, "hostname").strip()).as("hostname inside " + node.name()).isEqualTo(node.name());
            assertThat(node.containerId()).isNotBlank();
        }
        LabNode first = inventory.nodes().get(0);
        LabNode second = inventory.nodes().get(1);
        assertThat(exec(first, "getent", "hosts", second.name())).as("node1 resolves node2")
                .startsWith(second.address() + " ");
        assertThat(inventory.nodes()).extracting(LabNode::address).doesNotHaveDuplicates()
                .allMatch(a -> a.matches("\\d+\\.\\d+\\.\\d+\\.1[12]"));
    }

    @Test
    @Order(2)
    void eachNodeSeesABlockDeviceOfExactlyTheDiskSizeAtXvdf() {
        for (LabNode node : inventory.nodes()) {
            assertThat(exec(node, "sh", "-c", "test -b /dev/xvdf && blockdev --getsize64 /dev/xvdf").strip())
                    .as("size of /dev/xvdf in " + node.name())
                    .isEqualTo(Long.toString(DiskSize.bytes(DISK)));
            assertThat(node.loopDevice()).startsWith("/dev/loop");
            assertThat(node.diskFile()).startsWith(stateRoot.toAbsolutePath()).exists();
        }
        assertThat(inventory.nodes()).extracting(LabNode::loopDevice).doesNotHaveDuplicates();
    }

    @Test
    @Order(3)
    void nodesCarryNoJava() {
        for (LabNode node : inventory.nodes()) {
            Commands.Result result = Commands.run("docker", "exec", NAME + "-" + node.name(), "sh", "-c",
                    "command -v java || ls -d /usr/lib/jvm");
            assertThat(result.exitCode()).as("java lookup in " + node.name()).isNotZero();
            assertThat(result.stdout()).isBlank();
        }
    }

    @Test
    @Order(4)
    void sshdAnswersWithAnSsh2BannerFromThisMachine() throws IOException {
        for (LabNode node : inventory.nodes()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(node.address(), 22), 5000);
                socket.setSoTimeout(5000);
                InputStream in = socket.getInputStream();
                byte[] banner = new byte[7];
                assertThat(in.readNBytes(banner, 0, 7)).isEqualTo(7);
                assertThat(new String(banner, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0");
            }
        }
    }

    @Test
    @Order(5)
    void inventoryFileHasTheControllersShapeAndTheNodesHostKeys() throws IOException {
        Path file = stateRoot.resolve(NAME).resolve("inventory.json");
        JsonNode hosts = new ObjectMapper().readTree(file.toFile()).get("hosts");
        assertThat(hosts.size()).isEqualTo(2);
        for (LabNode node : inventory.nodes()) {
            JsonNode host = hosts.get(node.name());
            assertThat(host.get("address").asText()).isEqualTo(node.address());
            assertThat(host.get("port").asInt()).isEqualTo(22);
            assertThat(host.get("user").asText()).isEqualTo("root");
            Path identity = Path.of(host.get("identityFile").asText());
            assertThat(identity).isAbsolute().exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity))).isEqualTo("rw-------");
            assertThat(host.get("groups").toString()).isEqualTo("[\"lab\"]");
            String[] ed25519 = exec(node, "cat", "/etc/ssh/ssh_host_ed25519_key.pub").strip().split("\\s+");
            assertThat(host.get("hostKeys").get(0).asText()).as("first host key of " + node.name())
                    .isEqualTo(ed25519[0] + " " + ed25519[1]);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateRoot.resolve(NAME))))
                .isEqualTo("rwx------");
        LabInventory read = LabInventory.read(stateRoot, NAME);
        assertThat(read.nodes()).isEqualTo(inventory.nodes());
        assertThat(read.identityFile()).isEqualTo(inventory.identityFile());
    }

    @Test
    @Order(6)
    void openSshLogsInWithTheLabKeyAndOnlyTrustsTheRecordedHostKeys() throws IOException {
        for (LabNode node : inventory.nodes()) {
            Commands.Result ok = ssh(node, inventory.knownHostsFile());
            assertThat(ok.exitCode()).as("ssh to " + node.name() + ": " + ok.stderr()).isZero();
            assertThat(ok.stdout().strip()).isEqualTo(node.name());
        }
        Path empty = Files.createTempFile(stateRoot, "empty-known-hosts", "");
        try {
            Commands.Result refused = ssh(inventory.nodes().get(0), empty);
            assertThat(refused.exitCode()).as("strict host key checking without a recorded key").isNotZero();
            assertThat(refused.stderr()).contains("Host key verification failed");
        } finally {
            Files.delete(empty);
        }
    }

    @Test
    @Order(7)
    void aSecondUpChangesNothing() {
        List<String> secondRun = new ArrayList<>();
        LabInventory again = lab.up(secondRun::add);
        assertThat(again.nodes()).extracting(LabNode::containerId)
                .containsExactlyElementsOf(inventory.nodes().stream().map(LabNode::containerId).toList());
        assertThat(again.nodes()).isEqualTo(inventory.nodes());
        assertThat(progress).as("first up").anyMatch(l -> l.contains("started container"));
        assertThat(secondRun).as("second up").noneMatch(l -> l.contains("started") || l.contains("created")
                || l.contains("building") || l.contains(" on /dev/loop"));
    }

    @Test
    @Order(8)
    void statusReportsRunningNodesWithTheirDisksAndSsh() {
        LabStatus status = lab.status();
        assertThat(status.network()).isEqualTo(NAME + "-net");
        assertThat(status.imagePresent()).isTrue();
        assertThat(status.nodes()).hasSize(2).allSatisfy(n -> {
            assertThat(n.containerState()).isEqualTo("running");
            assertThat(n.sshAnswering()).isTrue();
            assertThat(n.loopDevice()).startsWith("/dev/loop");
            assertThat(n.diskFilePresent()).isTrue();
        });
    }

    @Test
    @Order(9)
    void dockerdAnswersInEveryNodeOnOverlay2WithTheLabsRunc() {
        for (LabNode node : inventory.nodes()) {
            assertThat(exec(node, "docker", "info", "--format", "{{.Driver}} {{.DefaultRuntime}}").strip())
                    .as("dockerd in " + node.name()).isEqualTo("overlay2 rigger-lab");
        }
        assertThat(progress).as("up waits for dockerd").anyMatch(l -> l.contains("node2: sshd answers")
                && l.contains("dockerd (overlay2) answers"));
        assertThat(docker("image", "inspect", "-f", "{{.Id}}", EcsSimulatorImage.LATEST)).as("simulator image after up")
                .startsWith("sha256:");
    }

    @Test
    @Order(10)
    void aContainerInsideANodeSeesTheNodesDirectoryBindMounted() {
        LabNode node = inventory.nodes().get(0);
        importTinyImage(node);
        exec(node, "sh", "-c", "mkdir -p /srv/probe && echo from-" + node.name() + " > /srv/probe/hello");

        String seen = exec(node, "docker", "run", "--rm", "-v", "/srv/probe:/probe", TINY, "/bin/sh", "-c",
                "read line < /probe/hello; echo \"$line\"; echo from-container > /probe/back");

        assertThat(seen.strip()).isEqualTo("from-" + node.name());
        assertThat(exec(node, "cat", "/srv/probe/back").strip()).as("written by the container").isEqualTo("from-container");
    }

    @Test
    @Order(11)
    void aPrivilegedHostNetworkContainerStartsInsideANodeAndSeesItsDevicesAndInterfaces() {
        LabNode node = inventory.nodes().get(0);
        importTinyImage(node);

        String seen = exec(node, "docker", "run", "--rm", "--privileged", "--network", "host", TINY, "/bin/sh", "-c",
                "[ -b /dev/xvdf ] && echo disk; while read name rest; do echo \"$name\"; done < /proc/net/dev");

        assertThat(seen.lines().map(String::strip).toList()).as("what the privileged container sees")
                .contains("disk", "eth0:", "docker0:");
    }

    @Test
    @Order(12)
    void theSimulatorImageShipsToANodeAndItsJvmRunsThereAsEcsWould() {
        LabNode node = inventory.nodes().get(1);
        Commands.Result load = Commands.run(List.of("sh", "-c", "docker save " + EcsSimulatorImage.LATEST
                + " | docker exec -i " + NAME + "-" + node.name() + " docker load"), line -> { }).orThrow();
        assertThat(load.stdout()).contains("Loaded image: " + EcsSimulatorImage.LATEST);

        Commands.Result run = Commands.run(List.of("docker", "exec", NAME + "-" + node.name(), "docker", "run", "--rm",
                "--privileged", "--network", "host", EcsSimulatorImage.LATEST), line -> { });

        String output = run.stdout() + run.stderr();
        assertThat(output).as("the simulator's output inside " + node.name())
                .containsAnyOf("ECS simulator", "boot operation begin")
                .doesNotContainIgnoringCase("exec format").doesNotContainIgnoringCase("no such file")
                .doesNotContain("error while loading shared libraries");
    }

    @Test
    @Order(13)
    void replaceDiskGivesTheNodeABlankDiskAndKeepsItsIdentity() {
        LabNode node = inventory.nodes().get(0);
        exec(node, "mkfs.xfs", "-q", "/dev/xvdf");
        assertThat(exec(node, "blkid", "-o", "value", "-s", "TYPE", "/dev/xvdf").strip()).isEqualTo("xfs");

        lab.replaceDisk(node.name());

        LabInventory after = LabInventory.read(stateRoot, NAME);
        LabNode replaced = after.nodes().get(0);
        assertThat(replaced.containerId()).isNotEqualTo(node.containerId());
        Commands.Result blkid = Commands.run("docker", "exec", NAME + "-" + node.name(), "blkid", "/dev/xvdf");
        assertThat(blkid.stdout()).as("signatures on the new disk").isBlank();
        assertThat(blkid.exitCode()).as("blkid finds nothing").isEqualTo(2);
        assertThat(exec(replaced, "blockdev", "--getsize64", "/dev/xvdf").strip())
                .isEqualTo(Long.toString(DiskSize.bytes(DISK)));
        assertThat(replaced.address()).isEqualTo(node.address());
        Commands.Result ok = ssh(replaced, after.knownHostsFile());
        assertThat(ok.exitCode()).as("the recorded host key still fits: " + ok.stderr()).isZero();
        inventory = after;
    }

    @Test
    @Order(14)
    void aStoppedNodeIsUnreachableUntilStartedAgain() {
        LabNode node = inventory.nodes().get(1);
        lab.stopNode(node.name());
        assertThat(SshBannerProbe.answers(node.address(), 22, Duration.ofSeconds(1))).isFalse();
        assertThat(lab.status().nodes().get(1).containerState()).isEqualTo("exited");
        lab.startNode(node.name());
        assertThat(SshBannerProbe.answers(node.address(), 22, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    @Order(15)
    void upRecreatesANodeWhoseLoopDeviceWentAwayOnItsOwnDiskWithItsIdentity() throws IOException {
        LabNode node = inventory.nodes().get(1);
        exec(node, "mkfs.xfs", "-q", "/dev/xvdf");
        Commands.run("losetup", "--detach", node.loopDevice()).orThrow();
        // hold the freed number, so the disk file must come back on another loop device
        Path dummy = Files.createTempFile(stateRoot, "placeholder", ".img");
        Files.write(dummy, new byte[1 << 20]);
        String holder = Commands.run("losetup", "--show", node.loopDevice(), dummy.toString()).orThrow().stdout().strip();
        try {
            LabInventory again = lab.up(line -> { });

            LabNode recreated = again.nodes().get(1);
            assertThat(recreated.loopDevice()).isNotEqualTo(node.loopDevice());
            assertThat(recreated.containerId()).isNotEqualTo(node.containerId());
            assertThat(recreated.hostKeys()).isEqualTo(node.hostKeys());
            assertThat(exec(recreated, "blkid", "-o", "value", "-s", "TYPE", "/dev/xvdf").strip())
                    .as("the data on the disk file survived").isEqualTo("xfs");
            assertThat(ssh(recreated, again.knownHostsFile()).stdout().strip()).isEqualTo(node.name());
            inventory = again;
        } finally {
            Commands.run("losetup", "--detach", holder);
            Files.delete(dummy);
        }
    }

    @Test
    @Order(16)
    void aNodeWhoseDockerdCannotStartFailsWithTheNodeNameAndItsDockerdLog() {
        LabNode node = inventory.nodes().get(0);
        exec(node, "mv", "/usr/sbin/dockerd", "/usr/sbin/dockerd.off");
        lab.stopNode(node.name());

        assertThatThrownBy(() -> lab.startNode(node.name())).isInstanceOf(LabException.class)
                .hasMessageContaining(node.name() + ": dockerd exited")
                .hasMessageContaining("/var/log/dockerd.log")
                .as("the log names the missing program").hasMessageContaining("/usr/sbin/dockerd");
    }

    @Test
    @Order(17)
    void downLeavesNothingBehindAndMayBeRepeated() {
        lab.down(line -> { });
        String label = "label=dev.rigger.lab=" + NAME;
        assertThat(docker("ps", "-aq", "--filter", label)).isBlank();
        assertThat(docker("network", "ls", "-q", "--filter", label)).isBlank();
        assertThat(docker("volume", "ls", "-q", "--filter", label)).isBlank();
        String attached = Commands.run("losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE").orThrow().stdout();
        assertThat(attached).doesNotContain(stateRoot.toAbsolutePath().toString());
        assertThat(stateRoot.resolve(NAME)).doesNotExist();
        assertThat(LabInventory.find(stateRoot, NAME)).isEmpty();
        lab.down(line -> { });
        assertThat(lab.status().empty()).isTrue();
    }

    /** A one-layer image with only dash and the libraries it needs, made inside the node: no registry. */
    private static void importTinyImage(LabNode node) {
        exec(node, "sh", "-c", "docker image inspect " + TINY + " >/dev/null 2>&1 || tar -chf - -C / bin/sh"
                + " lib/x86_64-linux-gnu/libc.so.6 lib64/ld-linux-x86-64.so.2 | docker import - " + TINY);
    }

    private static String docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return Commands.run(argv, line -> { }).orThrow().stdout();
    }

    private static String exec(LabNode node, String... command) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", NAME + "-" + node.name()));
        argv.addAll(List.of(command));
        return Commands.run(argv, line -> { }).orThrow().stdout();
    }

    private Commands.Result ssh(LabNode node, Path knownHosts) {
        return Commands.run(List.of("ssh", "-i", inventory.identityFile().toString(),
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes",
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-F", "/dev/null", "root@" + node.address(), "hostname"), line -> { });
    }
}
