package dev.rigger.controller.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user listens on the port {@code serve.json} names (the server stopped, or the user raced it): the
 * CLI asks whoever listens there to prove it knows the token before sending it, so the squatter receives no
 * token, the CLI says what happened, and the real server, which can prove itself, keeps working. No host is
 * needed: the server's inventory is empty and nothing here reaches a host.
 */
class SquattedServePortTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path stateDir;
    private Path inventory;
    private Path playbook;
    private RiggerServer server;
    private String token;

    @BeforeEach
    void startTheRealServer() throws IOException {
        stateDir = Files.createDirectory(dir.resolve("state"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path playbooks = Files.createDirectory(dir.resolve("playbooks"));
        playbook = Files.writeString(playbooks.resolve("noop.json"), """
                {"name": "noop", "plays": [{"name": "p", "hosts": "all", "tasks": [{"name": "t", "module": "facts"}]}]}
                """);
        Files.writeString(playbooks.resolve("prepare-hosts.json"), Files.readString(playbook));
        // the CLI's inventory names node1 on a port where nothing listens: a local run would fail to reach it
        inventory = Files.writeString(dir.resolve("inventory.json"), """
                {"hosts": {"node1": {"address": "127.0.0.1", "port": 9}}}
                """);
        String inventoryId = "file:" + inventory.toAbsolutePath().normalize();
        server = RiggerServer.start(new ServeOptions(
                new ControllerOptions(stateDir, ControllerOptions.defaultAgentJar(), false, 5, false), "127.0.0.1", 0,
                playbooks, "prepare-hosts.json", Map.of(), () -> new Inventory(List.of()),
                ServeOptions.DEFAULT_MAX_BODY_BYTES, inventoryId));
        token = Files.readString(ServeToken.file(stateDir), StandardCharsets.UTF_8).strip();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSquatterThatAnswersLikeAServerReceivesNoTokenAndTheCliSaysSo() throws IOException {
        try (PortSquatter squatter = new PortSquatter(head -> PortSquatter.http(200,
                "{\"proof\": \"" + "0".repeat(64) + "\", \"hosts\": []}"))) {
            pointServeJsonAt(squatter.port(), realNonce());

            CliRun facts = CliRun.quiet("facts", "node1", "--inventory", inventory.toString(), "--state", stateDir.toString());
            CliRun play = CliRun.quiet("play", playbook.toString(), "--inventory", inventory.toString(),
                    "--state", stateDir.toString());

            for (CliRun run : List.of(facts, play)) {
                assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
                assertThat(run.err()).contains("http://127.0.0.1:" + squatter.port() + " did not prove it is the rigger serve of "
                        + stateDir).contains("the API token was not sent").doesNotContain(token).doesNotContain("\tat ");
            }
            assertThat(play.err()).contains("--no-serve runs here");
            assertThat(squatter.requests()).as("each CLI asked for a proof, and nothing more").isEqualTo(2);
            assertNothingSecretIn(squatter.received());
        }
    }

    @Test
    void aSquatterThatRelaysTheChallengeToTheRealServerIsStillRefused() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        try (PortSquatter squatter = new PortSquatter(head -> {
            // the challenge goes to the real server; its answer comes back as the squatter's own
            String path = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/"));
            try {
                HttpResponse<String> real = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return PortSquatter.http(real.statusCode(), real.body());
            } catch (IOException | InterruptedException e) {
                return null;
            }
        })) {
            pointServeJsonAt(squatter.port(), realNonce());

            CliRun run = CliRun.quiet("facts", "node1", "--inventory", inventory.toString(), "--state", stateDir.toString());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("its answer to the challenge is not made with this state's token");
            assertThat(squatter.requests()).isEqualTo(1);
            assertNothingSecretIn(squatter.received());
        }
    }

    @Test
    void aSquatterThatHangsUpOrSpeaksNoHttpReceivesNoToken() throws IOException {
        for (String reply : new String[] {null, "SSH-2.0-OpenSSH_9.6\r\n", PortSquatter.http(401, "{}")}) {
            try (PortSquatter squatter = new PortSquatter(head -> reply)) {
                pointServeJsonAt(squatter.port(), realNonce());

                CliRun run = CliRun.quiet("facts", "node1", "--inventory", inventory.toString(), "--state", stateDir.toString());

                assertThat(run.exitCode()).as(String.valueOf(reply)).isEqualTo(2);
                assertThat(run.err()).contains("did not prove it is the rigger serve of").doesNotContain("\tat ");
                assertNothingSecretIn(squatter.received());
            }
        }
    }

    @Test
    void rotatingTheTokenWhileASquatterHoldsThePortTellsItNothing() throws IOException {
        try (PortSquatter squatter = new PortSquatter(head -> PortSquatter.http(200, "{\"reloaded\": true}"))) {
            pointServeJsonAt(squatter.port(), realNonce());

            CliRun rotate = CliRun.quiet("serve", "--rotate-token", "--state", stateDir.toString());

            String fresh = Files.readString(ServeToken.file(stateDir), StandardCharsets.UTF_8).strip();
            assertThat(rotate.exitCode()).as(rotate.err()).isZero();
            assertThat(rotate.err()).contains("did not prove it is the rigger serve of").contains("it is not told about the new token");
            assertThat(fresh).isNotEqualTo(token);
            assertThat(squatter.received()).doesNotContain(fresh);
            assertNothingSecretIn(squatter.received());
        }
    }

    @Test
    void theRealServerProvesItselfAndGetsTheRun() throws IOException {
        try (PortSquatter squatter = new PortSquatter(head -> null)) {
            pointServeJsonAt(squatter.port(), realNonce());
            CliRun.quiet("facts", "node1", "--inventory", inventory.toString(), "--state", stateDir.toString());
        }
        pointServeJsonAt(server.port(), realNonce());

        CliRun play = CliRun.quiet("play", playbook.toString(), "--inventory", inventory.toString(),
                "--state", stateDir.toString());
        CliRun facts = CliRun.quiet("facts", "node1", "--inventory", inventory.toString(), "--state", stateDir.toString());

        assertThat(play.err()).as(play.err()).contains("running through rigger serve at " + server.url())
                .doesNotContain("did not prove");
        assertThat(facts.err()).as("the server answered with the token accepted").contains("(from " + server.url() + ")")
                .doesNotContain("bearer token").doesNotContain("did not prove");
    }

    @Test
    void nothingListeningOnTheRecordedPortMeansNoServer() throws IOException {
        int closedPort;
        try (PortSquatter gone = new PortSquatter(head -> null)) {
            closedPort = gone.port();
        }
        pointServeJsonAt(closedPort, realNonce());

        CliRun run = CliRun.quiet("facts", "node1", "--inventory", inventory.toString(), "--state", stateDir.toString());

        assertThat(run.err()).as("a server that died, its pid alive as another process: answered here")
                .doesNotContain("did not prove").doesNotContain("(from http");
    }

    /** The token in any form a client would send it: never in what the squatter read. */
    private void assertNothingSecretIn(String received) {
        assertThat(received).doesNotContainIgnoringCase("Authorization").doesNotContain(token)
                .doesNotContain(token.substring(0, 16));
        assertThat(received).as("the squatter was asked for a proof").contains("GET /api/proof?challenge=");
    }

    private String realNonce() throws IOException {
        return JSON.readTree(ServeEndpoint.file(stateDir).toFile()).path("nonce").asText();
    }

    /** serve.json as the real server writes it, but naming {@code port}: its pid (this JVM) is alive. */
    private void pointServeJsonAt(int port, String nonce) throws IOException {
        ServeEndpoint real = JSON.readValue(ServeEndpoint.file(stateDir).toFile(), ServeEndpoint.class);
        new ServeEndpoint(real.bind(), port, real.pid(), real.playbooksDir(), real.inventoryId(), nonce, null).write(stateDir);
    }
}
