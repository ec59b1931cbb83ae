package dev.rigger.controller.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProbeTest {

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void readsTheProbesOutput() {
        HostProbe probe = HostProbe.parse("uid=1000\narch=aarch64\nglibc=glibc 2.31\njava=/usr/bin/java\n"
                + "javaVersion=openjdk version \"11.0.2\" 2019-01-15\nsudo=yes\n"
                + "stat=0 41ed /\nstat=444 41fd /var/lib/rigger\nstat=0 a1ff /var/lib/rigger/agent\n"
                + "jarSha256=" + SHA + "\nruntimeManifest=\nlisten=0100007F:9C40\nlisten=00000000:9C40\n");

        assertThat(probe.uid()).isEqualTo(1000);
        assertThat(probe.isRoot()).isFalse();
        assertThat(probe.arch()).isEqualTo("aarch64");
        assertThat(probe.glibc()).isEqualTo("2.31");
        assertThat(probe.javaPath()).isEqualTo("/usr/bin/java");
        assertThat(probe.javaMajor()).isEqualTo(11);
        assertThat(probe.jarSha256()).isEqualTo(SHA);
        assertThat(probe.runtimeManifest()).as("an empty hash is no hash").isNull();
        assertThat(probe.sudo()).isTrue();
        assertThat(probe.paths()).containsOnlyKeys("/", "/var/lib/rigger", "/var/lib/rigger/agent");
        PathStat root = probe.paths().get("/var/lib/rigger");
        assertThat(root.uid()).isEqualTo(444);
        assertThat(root.isDirectory()).isTrue();
        assertThat(root.octal()).isEqualTo("0775");
        assertThat(probe.paths().get("/var/lib/rigger/agent").isLink()).isTrue();
        assertThat(probe.forwardListeners()).containsExactly("0100007F:9C40", "00000000:9C40");
    }

    @Test
    void aHashOfAnotherShapeCountsAsNoHash() {
        HostProbe probe = HostProbe.parse("uid=0\njarSha256=sha256sum: /var/lib/rigger/agent/x.jar: Permission denied\n"
                + "runtimeManifest=" + SHA.toUpperCase() + "\n");

        assertThat(probe.jarSha256()).isNull();
        assertThat(probe.runtimeManifest()).isNull();
        assertThat(probe.sudo()).isFalse();
    }

    @Test
    void theProbeRunsUnderAPlainPosixShellAndReportsWhatIsThere(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("agent"));
        Files.writeString(root.resolve("agent/abc.jar"), "test");
        Path runtime = Files.createDirectories(root.resolve("runtime/rt-1/bin"));
        Files.writeString(runtime.resolve("java"), "#!/bin/sh\n");
        Files.createSymbolicLink(root.resolve("runtime/rt-1/link"), Path.of("bin/java"));
        String jar = root.resolve("agent/abc.jar").toString();
        String runtimeDir = root.resolve("runtime/rt-1").toString();
        String missing = root.resolve("missing").toString();
        String out;
        Process sh;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            sh = new ProcessBuilder("sh", "-c", HostProbe.script(jar, runtimeDir,
                    List.of(root.toString(), jar, runtimeDir + "/link", missing), listener.getLocalPort()))
                    .redirectErrorStream(true).start();
            out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(sh.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as(out).isZero();

        HostProbe probe = HostProbe.parse(out);

        assertThat(probe.arch()).isEqualTo(RuntimeImage.unameArch(System.getProperty("os.arch")));
        assertThat(probe.glibc()).isEqualTo(RuntimeImage.controllerGlibc());
        assertThat(probe.jarSha256()).isEqualTo(SHA);
        assertThat(probe.uid()).isGreaterThanOrEqualTo(0);
        assertThat(probe.paths()).containsOnlyKeys(root.toString(), jar, runtimeDir + "/link");
        assertThat(probe.paths().get(jar).isRegularFile()).isTrue();
        assertThat(probe.paths().get(runtimeDir + "/link").isLink()).as("a final link is not followed").isTrue();
        assertThat(probe.forwardListeners()).hasSize(1);
        assertThat(ForwardBinding.address(probe.forwardListeners().get(0)).getHostAddress()).isEqualTo("127.0.0.1");
        if (probe.isRoot()) {
            assertThat(probe.runtimeManifest()).as("the host computes what the controller computes")
                    .isEqualTo(RuntimeManifest.of(Path.of(runtimeDir)));
        }
    }

    @Test
    void anUnchangedRuntimeIsKnownByRootsStampAndAChangedOneIsHashedAgain(@TempDir Path root) throws Exception {
        Path runtime = Files.createDirectories(root.resolve("runtime/rt-1/bin"));
        Files.writeString(runtime.resolve("java"), "one");
        String runtimeDir = root.resolve("runtime/rt-1").toString();
        String stamp = sh("cd " + runtimeDir + " && " + RuntimeManifest.stampCommand()).strip();
        String remembered = "0".repeat(64);
        Path stampFile = Path.of(runtimeDir + ".verified");
        Files.writeString(stampFile, stamp + " " + remembered + "\n");
        Files.setPosixFilePermissions(stampFile, PosixFilePermissions.fromString("rw-r--r--"));
        String script = HostProbe.script(root.resolve("agent/x.jar").toString(), runtimeDir, List.of(), 1);
        Assumptions.assumeTrue(Files.getOwner(stampFile).getName().equals("root"), "the stamp is trusted as root's only");

        assertThat(HostProbe.parse(sh(script)).runtimeManifest()).as("the stamp matches: its manifest, no file read")
                .isEqualTo(remembered);

        Files.writeString(runtime.resolve("java"), "two");
        assertThat(HostProbe.parse(sh(script)).runtimeManifest()).as("a file changed: hashed again")
                .isEqualTo(RuntimeManifest.of(Path.of(runtimeDir)));

        Files.writeString(stampFile, sh("cd " + runtimeDir + " && " + RuntimeManifest.stampCommand()).strip() + " "
                + remembered + "\n");
        Files.setPosixFilePermissions(stampFile, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(HostProbe.parse(sh(script)).runtimeManifest()).as("a stamp others can write is ignored")
                .isEqualTo(RuntimeManifest.of(Path.of(runtimeDir)));
    }

    private static String sh(String script) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void theManifestChangesWithAFilesContentModeOrALinksTarget(@TempDir Path dir) throws Exception {
        Path java = Files.createDirectories(dir.resolve("bin")).resolve("java");
        Files.writeString(java, "one");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("bin/java"));
        String first = RuntimeManifest.of(dir);

        Files.writeString(java, "two");
        String content = RuntimeManifest.of(dir);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxrwxrwx"));
        String mode = RuntimeManifest.of(dir);
        Files.delete(dir.resolve("link"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("/elsewhere/java"));
        String link = RuntimeManifest.of(dir);

        assertThat(List.of(first, content, mode, link)).doesNotHaveDuplicates();
    }

    @Test
    void refusesTheRuntimeOnAnotherArchitectureNamingBoth() {
        HostProbe probe = HostProbe.parse("uid=0\narch=aarch64\nglibc=glibc 2.36\n");

        assertThat(AgentBootstrap.incompatibility("node1 (10.0.0.1:22)", probe, "x86_64", "2.36"))
                .contains("node1 (10.0.0.1:22) has no Java (17+ needed)")
                .contains("built for x86_64, but the host is aarch64");
    }

    @Test
    void refusesTheRuntimeOnAnOlderGlibc() {
        HostProbe probe = HostProbe.parse("uid=0\narch=x86_64\nglibc=ldd (Ubuntu GLIBC 2.31-0ubuntu9) 2.31\n"
                + "java=/usr/bin/java\njavaVersion=openjdk version \"11.0.2\"\n");

        assertThat(AgentBootstrap.incompatibility("node1 (10.0.0.1:22)", probe, "x86_64", "2.36"))
                .contains("has Java 11 at /usr/bin/java")
                .contains("needs glibc 2.36 or newer, but the host has glibc 2.31");
    }

    @Test
    void acceptsTheRuntimeOnTheSameArchitectureWithANewerGlibc() {
        HostProbe probe = HostProbe.parse("uid=0\narch=x86_64\nglibc=glibc 2.39\n");

        assertThat(AgentBootstrap.incompatibility("node1", probe, "x86_64", "2.36")).isNull();
    }
}
