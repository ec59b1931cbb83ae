package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A host's root of the agent (/var/lib/rigger) turned against the next run, as an attacker who got a foot on a
 * node would: a jar swapped under the agent's name, a remote root or runtime directory another user can write.
 * The lab nodes have no Java, so the shipped runtime is in play too. A planted program writes a marker file when
 * started as root: the marker never appears.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileBootstrapLabTest {
    private static final String MARKER = "/tmp/rigger-tampered-ran";

    private static LabRun cluster;
    private static Path playbook;
    private static String jarName;

    @BeforeAll
    static void labUp() throws IOException {
        cluster = new LabRun("bootstrap-hostile", 3, "prepare-hosts.json");
        playbook = cluster.stateDir.resolve("touch.json");
        Files.writeString(playbook, """
                {
                  "name": "touch",
                  "plays": [
                    { "name": "touch", "hosts": "all",
                      "tasks": [ { "name": "true", "module": "command", "args": { "argv": ["true"] } } ] }
                  ]
                }
                """, StandardCharsets.UTF_8);
    }

    @AfterAll
    static void labDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static CliRun play() {
        return CliRun.of("play", playbook.toString(), "--state", cluster.stateDir.toString(), "--lab", cluster.name);
    }

    @Test
    @Order(1)
    void theFirstRunShipsTheAgentAndTheRuntimeRootOwned() {
        CliRun run = play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        Node node = cluster.node("node1");
        jarName = node.sh("cd /var/lib/rigger/agent && ls *.jar");
        assertThat(node.sh("stat -c '%U %a' /var/lib/rigger /var/lib/rigger/agent /var/lib/rigger/agent/" + jarName
                + " /var/lib/rigger/runtime")).isEqualTo("root 755\nroot 755\nroot 644\nroot 755");
        assertThat(node.sh("find /var/lib/rigger ! -user root | wc -l")).isEqualTo("0");
    }

    @Test
    @Order(2)
    void aSwappedJarIsReplacedAndNeverRuns() throws Exception {
        Node node = cluster.node("node1");
        Path tampered = markerJar(cluster.stateDir.resolve("tampered"));
        docker("cp", tampered.toString(), node.container() + ":/var/lib/rigger/agent/" + jarName);
        String planted = node.sh("sha256sum < /var/lib/rigger/agent/" + jarName + " | cut -c1-64");
        assertThat(planted).isEqualTo(sha256(tampered));

        CliRun run = play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(node.run("test -e " + MARKER).exit()).as("the swapped jar never ran").isNotZero();
        assertThat(node.sh("sha256sum < /var/lib/rigger/agent/" + jarName + " | cut -c1-64"))
                .as("the jar is the controller's again").isEqualTo(jarName.replace(".jar", ""));
        assertThat(node.sh("stat -c '%U %a' /var/lib/rigger/agent/" + jarName)).isEqualTo("root 644");
    }

    @Test
    @Order(3)
    void aGroupWritableRemoteRootIsRefusedAndNothingRunsThere() {
        Node node = cluster.node("node2");
        plantMarkerJava(node);
        node.sh("chmod 0775 /var/lib/rigger");
        String before = listing(node);

        CliRun run = play();

        assertThat(run.exitCode()).as("a host refused counts as unreachable: " + run.out() + run.err()).isEqualTo(3);
        assertThat(run.out() + run.err()).contains("/var/lib/rigger is mode 0775 (group-writable); rigger runs its"
                + " agent as root only from a directory only root can write: chmod 0755 /var/lib/rigger");
        assertThat(run.out()).containsPattern("node2\\s+: ok=0\\s+changed=0\\s+unreachable=1");
        assertThat(run.out()).containsPattern("node1\\s+: ok=1\\s+changed=\\d+\\s+unreachable=0\\s+failed=0");
        assertThat(run.out()).containsPattern("node3\\s+: ok=1\\s+changed=\\d+\\s+unreachable=0\\s+failed=0");
        assertThat(node.run("test -e " + MARKER).exit()).as("nothing ran from the refused directory").isNotZero();
        assertThat(listing(node)).as("nothing shipped or changed").isEqualTo(before);
        node.sh("chmod 0755 /var/lib/rigger");
    }

    @Test
    @Order(4)
    void aRemoteRootOwnedByAnotherUserIsRefused() {
        Node node = cluster.node("node2");
        node.sh("chown 444 /var/lib/rigger");
        String before = listing(node);

        CliRun run = play();

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out() + run.err()).contains("/var/lib/rigger is owned by uid 444; rigger runs its agent as"
                + " root only from a directory only root can write: chown root:root /var/lib/rigger");
        assertThat(node.run("test -e " + MARKER).exit()).isNotZero();
        assertThat(listing(node)).isEqualTo(before);
        node.sh("chown 0 /var/lib/rigger");
    }

    @Test
    @Order(5)
    void aGroupWritableRuntimeDirectoryIsRefused() {
        Node node = cluster.node("node3");
        String runtime = node.sh("ls -d /var/lib/rigger/runtime/*/");
        runtime = runtime.substring(0, runtime.length() - 1);
        node.sh("chmod 0775 " + runtime);
        String before = listing(node);

        CliRun run = play();

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out() + run.err()).contains(runtime + " is mode 0775 (group-writable)");
        assertThat(run.out()).containsPattern("node2\\s+: ok=1\\s+changed=\\d+\\s+unreachable=0\\s+failed=0");
        assertThat(listing(node)).isEqualTo(before);
        node.sh("chmod 0755 " + runtime);
    }

    @Test
    @Order(6)
    void aChangedRuntimeIsReplacedAndItsPlantedJavaNeverRuns() {
        CliRun run = play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        Node node = cluster.node("node2");
        assertThat(node.run("test -e " + MARKER).exit()).as("the planted java never ran").isNotZero();
        assertThat(node.run("ls /var/lib/rigger/runtime/*/bin/java.real").exit()).isNotZero();
    }

    /** Wraps the runtime's java in a script that leaves the marker, as someone able to write there would. */
    private static void plantMarkerJava(Node node) {
        node.sh("cd /var/lib/rigger/runtime/*/bin && mv java java.real && printf '#!/bin/sh\\ntouch " + MARKER
                + "\\nexec \"$0.real\" \"$@\"\\n' > java && chmod 0755 java");
    }

    /** Every path under the remote root with its owner, mode, size and change time. */
    private static String listing(Node node) {
        return node.sh("find /var/lib/rigger -printf '%p %U %m %s %C@\\n' | sort");
    }

    /** A jar whose main writes the marker, to be planted under the agent jar's name. */
    private static Path markerJar(Path dir) throws IOException {
        Path src = dir.resolve("src/Tampered.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "public class Tampered { public static void main(String[] a) throws Exception {"
                + " java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + MARKER + "\"), \"ran\"); } }\n");
        Path classes = dir.resolve("classes");
        tool("javac", "--release", "17", "-d", classes.toString(), src.toString());
        Path jar = dir.resolve("tampered.jar");
        tool("jar", "--create", "--file", jar.toString(), "--main-class", "Tampered", "-C", classes.toString(), ".");
        return jar;
    }

    private static void tool(String name, String... args) throws IOException {
        ToolProvider provider = ToolProvider.findFirst(name).orElseThrow(() -> new IOException(name + " is missing"));
        StringWriter out = new StringWriter();
        int status = provider.run(new PrintWriter(out, true), new PrintWriter(out, true), args);
        assertThat(status).as(name + ": " + out).isZero();
    }

    private static String sha256(Path file) throws Exception {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static void docker(String... args) throws Exception {
        String[] argv = new String[args.length + 1];
        argv[0] = "docker";
        System.arraycopy(args, 0, argv, 1, args.length);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker " + String.join(" ", args) + ": " + out).isZero();
    }
}
