package dev.rigger.controller.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProbeTest {

    @Test
    void readsTheProbesOutput() {
        HostProbe probe = HostProbe.parse("uid=1000\narch=aarch64\nglibc=glibc 2.31\njava=/usr/bin/java\n"
                + "javaVersion=openjdk version \"11.0.2\" 2019-01-15\njar=yes\nwritable=yes\n");

        assertThat(probe.uid()).isEqualTo(1000);
        assertThat(probe.isRoot()).isFalse();
        assertThat(probe.arch()).isEqualTo("aarch64");
        assertThat(probe.glibc()).isEqualTo("2.31");
        assertThat(probe.javaPath()).isEqualTo("/usr/bin/java");
        assertThat(probe.javaMajor()).isEqualTo(11);
        assertThat(probe.jarPresent()).isTrue();
        assertThat(probe.runtimePresent()).isFalse();
        assertThat(probe.rootWritable()).isTrue();
    }

    @Test
    void theProbeRunsUnderAPlainPosixShellAndFindsTheFilesItAsksAbout(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("agent"));
        Files.writeString(root.resolve("agent/abc.jar"), "jar");
        Process sh = new ProcessBuilder("sh", "-c", HostProbe.script(root.toString(), "abc.jar", "rt-1"))
                .redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as(out).isZero();

        HostProbe probe = HostProbe.parse(out);

        assertThat(probe.arch()).isEqualTo(RuntimeImage.unameArch(System.getProperty("os.arch")));
        assertThat(probe.glibc()).isEqualTo(RuntimeImage.controllerGlibc());
        assertThat(probe.jarPresent()).isTrue();
        assertThat(probe.runtimePresent()).isFalse();
        assertThat(probe.rootWritable()).isTrue();
        assertThat(probe.uid()).isGreaterThanOrEqualTo(0);
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
