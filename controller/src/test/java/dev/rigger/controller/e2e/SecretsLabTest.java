package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Secrets stay secret with a real agent on a lab node: a {@code noLog} command that prints a marker on
 * stdout and stderr, and a {@code db_password} that a command prints, a failing command puts in its error
 * message and a {@code copy} writes (so {@code --diff} would show it). The node gets the real values; the
 * console (with -v and --diff), the run log and the state directory show neither.
 */
@Tag("lab")
class SecretsLabTest {
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String NO_LOG = "nolog-" + UUID.randomUUID();

    private static LabRun cluster;
    private static Path playbook;

    @BeforeAll
    static void labUp() throws IOException {
        cluster = new LabRun("templates-secrets", 1, "prepare-hosts.json");
        playbook = Files.writeString(cluster.stateDir.resolve("secrets.json"), """
                {"name": "secrets", "vars": {"db_password": "%1$s"},
                 "plays": [{"name": "p", "hosts": "all", "tasks": [
                   {"name": "hidden", "module": "command", "noLog": true,
                    "args": {"argv": ["sh", "-c", "echo %2$s; echo %2$s >&2"]}},
                   {"name": "print the password", "module": "command", "args": {"argv": ["echo", "{{ db_password }}"]}},
                   {"name": "fail with it", "module": "command", "ignoreErrors": true,
                    "args": {"argv": ["sh", "-c", "echo \\"bad password {{ db_password }}\\" >&2; exit 3"]}},
                   {"name": "write it", "module": "copy",
                    "args": {"dest": "/root/templates-secret.conf", "content": "password={{ db_password }}\\n", "mode": "0600"}}
                 ]}]}
                """.formatted(PASSWORD, NO_LOG));
    }

    @AfterAll
    static void labDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void neitherTheNoLogOutputNorThePasswordShowsAnywhereButTheNodeGotThem() throws IOException {
        CliRun run = CliRun.of("play", playbook.toString(), "--state", cluster.stateDir.toString(), "--lab", cluster.name,
                "-v", "--diff");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out() + run.err()).doesNotContain(PASSWORD).doesNotContain(NO_LOG);
        assertThat(run.out()).contains("changed: [node1] (output hidden: noLog)")
                .contains("  [node1] ***")
                .contains("bad password ***")
                .contains("password=***");
        try (Stream<Path> files = Files.walk(cluster.stateDir)) {
            // every file but the playbook itself and the lab's disk images: run logs, state.json, keys
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.equals(playbook)).toList()) {
                if (Files.size(f) < 64 * 1024 * 1024) {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertThat(text).as(f.toString()).doesNotContain(PASSWORD).doesNotContain(NO_LOG);
                }
            }
        }
        assertThat(cluster.node("node1").sh("cat /root/templates-secret.conf")).isEqualTo("password=" + PASSWORD);
    }
}
