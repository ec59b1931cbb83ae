package dev.rigger.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.e2e.CliRun;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.controller.serve.RiggerServer;
import dev.rigger.controller.serve.ServeOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets given by users stay secret, in a real run of the real CLI (and of {@code rigger serve}) on
 * {@code localhost}, whose controller-side {@code wait_for} probes a real HTTP server here: a password in a
 * playbook var, a token a template renders, a secret given with {@code -e @file} and a {@code noLog} task.
 * Each reaches a task's args and, through the probe's URL, its message; none of them shows in what the
 * console prints (with -v and --diff), the run log, the state directory or the API's answers and event stream.
 */
class SecretsStaySecretTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static HttpServer http;
    private static Path playbooks;
    private static Path inventory;
    private static Path secretsFile;
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String TOKEN_PART = "tk-" + UUID.randomUUID();
    private static final String EXTRA = "ex-" + UUID.randomUUID();
    private static final String NO_LOG = "nolog-" + UUID.randomUUID();

    @BeforeAll
    static void setUp() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        http.createContext("/", exchange -> {
            // /ok/... answers 200, anything else 500: a probe of it fails and says which URL it probed
            int status = exchange.getRequestURI().getPath().startsWith("/ok/") ? 200 : 500;
            exchange.sendResponseHeaders(status, -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
            }
        });
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        playbooks = Files.createDirectories(dir.resolve("playbooks"));
        Files.writeString(playbooks.resolve("secrets.json"), """
                {"name": "secrets",
                 "vars": {"db_password": "%1$s", "session_token": "{{ 'tok-' ~ inventory_hostname ~ '-%2$s' }}"},
                 "plays": [{"name": "p", "hosts": "localhost", "gatherFacts": false, "tasks": [
                   {"name": "probe with the password", "module": "wait_for",
                    "args": {"url": "%3$s/ok/{{ db_password }}/{{ session_token }}/{{ admin_secret }}", "timeoutSec": 5}},
                   {"name": "a failing probe names its url", "module": "wait_for", "ignoreErrors": true,
                    "args": {"url": "%3$s/fail/{{ db_password }}/{{ session_token }}/{{ admin_secret }}",
                             "timeoutSec": 1, "delaySec": 0.2}},
                   {"name": "a hidden probe", "module": "wait_for", "noLog": true, "ignoreErrors": true,
                    "args": {"url": "%3$s/fail/%4$s", "timeoutSec": 1, "delaySec": 0.2}},
                   {"name": "a hidden loop", "module": "wait_for", "noLog": true, "ignoreErrors": true,
                    "loop": ["%4$s-item"], "args": {"url": "%3$s/ok/{{ item }}", "timeoutSec": 5}}
                 ]}]}
                """.formatted(PASSWORD, TOKEN_PART, base, NO_LOG));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        inventory = Files.writeString(dir.resolve("inventory.json"), """
                {"hosts": {"node1": {"address": "127.0.0.1", "port": %d}}}
                """.formatted(closed));
        secretsFile = Files.writeString(dir.resolve("secrets.json"), "{\"admin_secret\": \"" + EXTRA + "\"}");
    }

    @AfterAll
    static void tearDown() {
        http.stop(0);
    }

    private static void assertNoSecretIn(String what, String text) {
        assertThat(text).as(what).doesNotContain(PASSWORD).doesNotContain(TOKEN_PART).doesNotContain(EXTRA)
                .doesNotContain(NO_LOG);
    }

    private static void assertNoSecretUnder(Path state) throws IOException {
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertNoSecretIn(f.toString(), Files.readString(f));
            }
        }
    }

    @Test
    void noSecretShowsInTheConsoleTheRunLogOrTheStateEvenWithVerboseAndDiff() throws IOException {
        Path state = dir.resolve("state-cli");

        CliRun run = CliRun.of("play", playbooks.resolve("secrets.json").toString(), "--inventory", inventory.toString(),
                "--state", state.toString(), "--no-serve", "-v", "--diff", "-e", "@" + secretsFile);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertNoSecretIn("stdout", run.out());
        assertNoSecretIn("stderr", run.err());
        assertThat(run.out()).as("the probes ran with the real values: the first one passed")
                .containsPattern("ok: \\[localhost\\] .*/ok/\\*\\*\\*/\\*\\*\\*/\\*\\*\\*")
                .contains("failed (ignored): [localhost] ")
                .contains("/fail/***/***/***")
                .contains("failed (ignored): [localhost] (output hidden: noLog)")
                .contains("ok: [localhost] => (item=(output hidden: noLog)) (output hidden: noLog)");
        assertNoSecretUnder(state);
        List<String> log;
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            log = Files.readAllLines(runs.findFirst().orElseThrow());
        }
        assertThat(String.join("\n", log)).contains("(output hidden: noLog)").contains("/fail/***/***/***");
    }

    @Test
    void aSecretOnTheCommandLineIsMaskedAndTheCliSaysToUseAFile() throws IOException {
        Path state = dir.resolve("state-inline");

        CliRun run = CliRun.of("play", playbooks.resolve("secrets.json").toString(), "--inventory", inventory.toString(),
                "--state", state.toString(), "--no-serve", "-v", "-e", "admin_secret=" + EXTRA, "-e", "other=1");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.err().lines().filter(l -> l.contains("warning"))).containsExactly("rigger: warning: -e admin_secret:"
                + " a secret on the command line is visible to every user in the process list and stays in shell"
                + " histories; give it in a file: -e @secrets.json");
        assertNoSecretIn("output", run.out() + run.err());
        assertNoSecretUnder(state);
    }

    @Test
    void noSecretShowsInTheApisAnswersOrItsEventStream() throws Exception {
        Path state = dir.resolve("state-serve");
        RiggerServer server = RiggerServer.start(new ServeOptions(
                new ControllerOptions(state, ControllerOptions.defaultAgentJar(), false, 5, false),
                "127.0.0.1", 0, playbooks, "secrets.json", Map.of(), () -> InventoryLoader.read(inventory),
                ServeOptions.DEFAULT_MAX_BODY_BYTES));
        List<String> answers = new ArrayList<>();
        try {
            String token = Files.readString(state.resolve("serve.token")).strip();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> started = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/runs"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("playbook", "secrets.json",
                            "diff", true, "extraVars", Map.of("admin_secret", EXTRA))))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String id = JSON.readTree(started.body()).path("id").asText();
            // the stream ends when the run does
            answers.add(get(client, server, token, "/api/runs/" + id + "/events"));
            JsonNode info = JSON.readTree(get(client, server, token, "/api/runs/" + id));
            assertThat(info.path("status").asText()).as(info.toString()).isEqualTo("ok");
            answers.add(info.toString());
            answers.add(get(client, server, token, "/api/runs"));
            answers.add(get(client, server, token, "/api/hosts"));
            answers.add(get(client, server, token, "/api/runs/" + id + "/events"));
        } finally {
            server.close();
        }
        assertThat(answers.get(0)).as("the stream").contains("(output hidden: noLog)").contains("/fail/***/***/***");
        for (String answer : answers) {
            assertNoSecretIn("an API answer", answer);
        }
        assertNoSecretUnder(state);
    }

    private static String get(HttpClient client, RiggerServer server, String token, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
