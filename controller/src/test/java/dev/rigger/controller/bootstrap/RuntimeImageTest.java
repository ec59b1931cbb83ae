package dev.rigger.controller.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.ssh.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RuntimeImageTest {

    @Test
    void packsAStrippedRuntimeNamedByJdkAndArchitecture() throws Exception {
        Prerequisites.require(Files.isDirectory(Path.of(System.getProperty("java.home"), "jmods")),
                "a JDK with jmods (Debian: openjdk-17-jdk-headless)");
        RuntimeImage image = TestRuntime.image();

        RuntimeArchive archive = image.archive();

        assertThat(archive.id()).isEqualTo(image.id()).contains(image.arch()).startsWith("jdk-17");
        assertThat(archive.file()).isRegularFile().hasFileName(archive.id() + ".tar.gz");
        assertThat(archive.bytes()).isEqualTo(Files.size(archive.file())).isLessThan(archive.imageBytes());
        assertThat(archive.glibcVersion()).isEqualTo(command("getconf", "GNU_LIBC_VERSION").replace("glibc ", ""));
        assertThat(command("tar", "-tzf", archive.file().toString()).lines())
                .contains(archive.id() + "/bin/java", archive.id() + "/lib/server/libjvm.so")
                .noneMatch(entry -> entry.contains("/include/") || entry.contains("/man/"));
    }

    @Test
    void aSecondImageOverTheSameCacheReusesThePackedRuntime() throws Exception {
        Prerequisites.require(Files.isDirectory(Path.of(System.getProperty("java.home"), "jmods")), "a JDK with jmods");
        RuntimeArchive first = TestRuntime.image().archive();
        long modified = Files.getLastModifiedTime(first.file()).toMillis();

        RuntimeArchive again = new RuntimeImage(Path.of(System.getProperty("java.home")), TestRuntime.cacheDir(),
                RuntimeImage.AGENT_MODULES).archive();

        assertThat(again).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(again.file()).toMillis()).isEqualTo(modified);
    }

    @Test
    void namesArchitecturesTheWayUnameDoes() {
        assertThat(RuntimeImage.unameArch("amd64")).isEqualTo("x86_64");
        assertThat(RuntimeImage.unameArch("aarch64")).isEqualTo("aarch64");
    }

    private static String command(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out.strip();
    }
}
