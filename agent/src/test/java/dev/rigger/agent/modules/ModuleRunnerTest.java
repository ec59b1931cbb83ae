package dev.rigger.agent.modules;

import static dev.rigger.agent.testing.Modules.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ModuleRunnerTest {
    final ModuleRunner runner = new ModuleRunner();

    @Test
    void everyModuleOfTheContractIsFoundThroughServiceLoader() {
        assertThat(runner.registry().names()).containsExactlyInAnyOrder(
                "facts", "disk", "partition", "filesystem", "mount", "file", "copy", "hosts", "package", "command", "preallocate", "service");
    }

    @Test
    void commandOutputIsStreamedLineByLineToTheSink() {
        List<String> lines = new CopyOnWriteArrayList<>();
        TaskOptions options = new TaskOptions(false, false, (stream, line) -> lines.add(stream + ":" + line), 0);
        ModuleResult r = runner.run("command", args("{\"cmd\":\"echo one; echo two >&2; echo three\"}"), options);
        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(lines).contains("stdout:one", "stderr:two", "stdout:three");
        assertThat(lines.indexOf("stdout:one")).isLessThan(lines.indexOf("stdout:three"));
    }

    @Test
    void aTaskPastItsTimeoutIsKilledAndFailsNamingTheTimeout() {
        long start = System.nanoTime();
        ModuleResult r = runner.run("command", args("{\"argv\":[\"sleep\",\"30\"]}"),
                new TaskOptions(false, false, (s, l) -> { }, 1));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains("timed out after 1 s");
        assertThat((System.nanoTime() - start) / 1_000_000_000).as("killed, not waited for").isLessThan(20);
    }

    @Test
    void aTaskPastItsTimeoutTakesAlongTheChildItsShellOrphaned() throws Exception {
        Path pidFile = Files.createTempFile("rigger-orphan", ".pid");
        try {
            // the subshell exits at once, so its sleep belongs to init, not to the command, when the deadline comes
            ModuleResult r = runner.run("command", args("{\"cmd\":\"(sleep 61 & echo $! > " + pidFile + "); sleep 30\"}"),
                    new TaskOptions(false, false, (s, l) -> { }, 1));

            assertThat(r.msg()).contains("timed out after 1 s");
            String pid = Files.readString(pidFile).strip();
            assertThat(pid).as("the orphan was started").isNotEmpty();
            Optional<ProcessHandle> orphan = ProcessHandle.of(Long.parseLong(pid));
            assertThat(orphan.map(ProcessHandle::isAlive).orElse(false)
                    && orphan.get().info().commandLine().orElse("").contains("sleep"))
                    .as("the orphaned sleep %s was killed with its command", pid).isFalse();
        } finally {
            Files.deleteIfExists(pidFile);
        }
    }

    @Test
    void aCommandThatLeavesABackgroundChildStillEnds() {
        ModuleResult r = runner.run("command", args("{\"cmd\":\"sleep 60 & echo started\"}"), TaskOptions.apply());
        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(r.data()).containsEntry("stdout", "started\n");
    }

    @Test
    void checkModeListsThePlannedStepsWithoutRunningThem() {
        ModuleResult r = runner.run("command", args("{\"argv\":[\"false\"]}"), TaskOptions.checkOnly());
        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).isEqualTo("would run false");
        assertThat(r.steps()).singleElement().satisfies(s -> assertThat(s.exitCode()).as("not run").isEqualTo(-1));
        assertThat(r.data()).containsEntry("rc", Plan.KNOWN_AFTER_APPLY);
    }

    @Test
    void factsModuleReturnsTheHostFactsAsData() {
        ModuleResult r = runner.run("facts", args("{}"), TaskOptions.apply());
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.data()).containsKeys("hostname", "memTotalBytes", "blockDevices", "interfaces");
    }
}
