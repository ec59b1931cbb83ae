package dev.rigger.controller.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.e2e.CliRun;
import dev.rigger.controller.inventory.Inventory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rigger serve --rotate-token} writes a new token and the running server of the state takes it at
 * once: the old token gets 401, the new one works, and neither is printed.
 */
class RotatedTokenTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private RiggerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRunningServerTakesTheNewTokenAndRefusesTheOld() throws Exception {
        Path stateDir = dir.resolve("state");
        Path playbooks = Files.createDirectory(dir.resolve("playbooks"));
        Files.writeString(playbooks.resolve("prepare-hosts.json"), "{}");
        server = RiggerServer.start(new ServeOptions(
                new ControllerOptions(stateDir, ControllerOptions.defaultAgentJar(), false, 5, false), "127.0.0.1", 0,
                playbooks, "prepare-hosts.json", Map.of(), () -> new Inventory(List.of()),
                ServeOptions.DEFAULT_MAX_BODY_BYTES, null));
        String old = token(stateDir);
        assertThat(status(old)).isEqualTo(200);

        CliRun rotate = CliRun.quiet("serve", "--rotate-token", "--state", stateDir.toString());

        String fresh = token(stateDir);
        assertThat(rotate.exitCode()).as(rotate.err()).isZero();
        assertThat(rotate.out()).contains("a new API token is in " + ServeToken.file(stateDir))
                .contains("the rigger serve at " + server.url() + " took it");
        assertThat(rotate.out() + rotate.err()).doesNotContain(fresh).doesNotContain(old);
        assertThat(fresh).isNotEqualTo(old).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Files.getPosixFilePermissions(ServeToken.file(stateDir))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(status(old)).as("the old token").isEqualTo(401);
        assertThat(status(fresh)).as("the new token").isEqualTo(200);
        assertThat(ServeClient.find(stateDir)).as("the server proves itself with the new token").isPresent();
    }

    @Test
    void withoutARunningServerTheNextStartUsesTheNewToken() throws Exception {
        Path stateDir = dir.resolve("fresh");

        CliRun rotate = CliRun.quiet("serve", "--rotate-token", "--state", stateDir.toString());

        assertThat(rotate.exitCode()).as(rotate.err()).isZero();
        assertThat(rotate.out()).contains("no rigger serve of " + stateDir + " runs");
        assertThat(Files.getPosixFilePermissions(stateDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(ServeToken.file(stateDir))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String written = token(stateDir);
        assertThat(rotate.out()).doesNotContain(written);
        assertThat(ServeToken.loadOrCreate(stateDir).value().reveal()).isEqualTo(written);
    }

    private static String token(Path stateDir) throws IOException {
        return Files.readString(ServeToken.file(stateDir), StandardCharsets.UTF_8).strip();
    }

    private int status(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/runs")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
