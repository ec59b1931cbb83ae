package dev.rigger.agent.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.agent.facts.MemoryFacts;
import dev.rigger.protocol.ProtocolJson;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jar that ships to hosts, run as a process. Runs in the package phase, after shading
 * (see the {@code shaded-jar} surefire execution in the pom).
 */
class ShadedJarIT {

    @Test
    void factsFromTheShadedJarAgreeWithMeminfoAndNproc() throws Exception {
        Path jar = shadedJar();
        Process p = new ProcessBuilder(javaBin(), "-jar", jar.toString(), "facts")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        JsonNode facts = ProtocolJson.MAPPER.readTree(stdout);
        assertThat(facts.path("memTotalBytes").asLong())
                .isEqualTo(MemoryFacts.parse(Files.readString(Path.of("/proc/meminfo"))));
        assertThat(facts.path("cpuCount").asInt()).as("nproc").isEqualTo(Integer.parseInt(nproc()));
    }

    @Test
    void runReportsAFailedModuleWithExitCode1() throws Exception {
        Process p = new ProcessBuilder(javaBin(), "-jar", shadedJar().toString(), "run", "file", "{}")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(stdout).contains("args.path: required");
    }

    private static Path shadedJar() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("rigger-agent-.*-shaded\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no shaded jar in target/; this test runs after package"));
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private static String nproc() throws Exception {
        Process p = new ProcessBuilder("nproc").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }
}
