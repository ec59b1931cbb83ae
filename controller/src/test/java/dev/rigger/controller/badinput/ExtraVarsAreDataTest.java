package dev.rigger.controller.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.controller.ControllerOptions;
import dev.rigger.controller.e2e.CliRun;
import dev.rigger.controller.inventory.InventoryLoader;
import dev.rigger.controller.serve.RiggerServer;
import dev.rigger.controller.serve.ServeOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Extra vars are data. The attack of issue 13: {@code -e 'data_disk={% include "/some/file" %}'} with
 * {@code --check} printed the controller's file in the disk task's message. A value holding template markup,
 * at any depth, is refused with exit 2 on the CLI and 400 on the API, before any host is contacted, and
 * the file's content shows up nowhere: not in what is printed or answered, not in the state directory.
 */
class ExtraVarsAreDataTest {
    private static final Path PLAYBOOKS = Path.of(System.getProperty("rigger.playbooks", "../playbooks"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static WatchedHost host;
    private static Path inventory;
    private static Path secret;
    private static String marker;

    @BeforeAll
    static void setUp() throws IOException {
        host = new WatchedHost();
        inventory = host.writeInventory(dir.resolve("inventory.json"));
        marker = "controller-secret-" + UUID.randomUUID();
        secret = Files.writeString(dir.resolve("secret.txt"), marker + "\n");
    }

    @AfterAll
    static void tearDown() throws IOException {
        host.close();
    }

    @AfterEach
    void noHostWasContacted() throws IOException {
        assertThat(host.wasContacted()).as("a host was contacted").isFalse();
    }

    private static CliRun play(Path state, String... extra) {
        String[] args = new String[extra.length + 7];
        args[0] = "play";
        args[1] = PLAYBOOKS.resolve("prepare-hosts.json").toString();
        args[2] = "--check";
        args[3] = "--inventory";
        args[4] = inventory.toString();
        args[5] = "--state";
        args[6] = state.toString();
        System.arraycopy(extra, 0, args, 7, extra.length);
        return CliRun.quiet(args);
    }

    /** The marker in no file under {@code state}, whatever the file (run logs, state.json, lab keys). */
    private static void assertNowhereUnder(Path state) throws IOException {
        if (!Files.exists(state)) {
            return;
        }
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(marker);
            }
        }
    }

    @ParameterizedTest(name = "-e data_disk={0}")
    @ValueSource(strings = {
            "{% include \"SECRET\" %}",
            "xvdf{{ '' }}",
            "{# a comment #}xvdf",
            "{% from \"SECRET\" import m %}{{ m() }}",
    })
    void anExtraVarHoldingTemplateMarkupIsRefusedAndReadsNoFile(String value) throws IOException {
        Path state = Files.createTempDirectory(dir, "state");

        CliRun run = play(state, "-e", "data_disk=" + value.replace("SECRET", secret.toString()));

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("rigger: -e data_disk: holds template markup ({{, {% or {#);"
                + " extra vars are data, not templates: they are never rendered (write templates in the playbook's vars)");
        assertThat(run.out()).isEmpty();
        CleanErrors.assertNoStackTrace(run, value);
        assertThat(run.out() + run.err()).doesNotContain(marker);
        assertThat(state.resolve("runs")).as("no run started").doesNotExist();
        assertNowhereUnder(state);
    }

    @Test
    void markupDeepInAVarsFileIsRefusedWithItsLineAndPointer() throws IOException {
        Path state = Files.createTempDirectory(dir, "state");
        Path vars = Files.writeString(dir.resolve("vars.json"), """
                {"ecs_owner": 444,
                 "disks": {"data": ["xvdf", "{%% include \\"%s\\" %%}"]}}
                """.formatted(secret));

        CliRun run = play(state, "-e", "@" + vars);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("rigger: -e @" + vars + ": " + vars + ":2:29: /disks/data/1: holds template markup")
                .contains("extra vars are data, not templates").doesNotContain(marker);
        assertThat(run.out()).isEmpty();
        assertNowhereUnder(state);
    }

    @Test
    void plainExtraVarsStillWork() throws IOException {
        Path state = Files.createTempDirectory(dir, "state");
        CliRun run = play(state, "-e", "data_disk=xvdg", "-e", "braces=a { b } c", "--limit", "nosuchhost");

        assertThat(run.exitCode()).as("refused for the limit, not the vars: %s", run.err()).isEqualTo(2);
        assertThat(run.err()).contains("nosuchhost").doesNotContain("extra vars");
    }

    @Test
    void theApiRefusesMarkupInExtraVarsWith400AndStartsNothing() throws Exception {
        Path state = Files.createTempDirectory(dir, "serve");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path unreachable = TestIdentity.inventory(dir.resolve("closed-inventory.json"), closed);
        RiggerServer server = RiggerServer.start(new ServeOptions(
                new ControllerOptions(state, ControllerOptions.defaultAgentJar(), false, 5, false),
                "127.0.0.1", 0, PLAYBOOKS, "prepare-hosts.json", Map.of(), () -> InventoryLoader.read(unreachable),
                ServeOptions.DEFAULT_MAX_BODY_BYTES));
        try {
            String token = Files.readString(state.resolve("serve.token")).strip();
            String include = "{% include \"" + secret + "\" %}";
            List<String[]> calls = List.of(
                    new String[] {"/api/runs", JSON.writeValueAsString(Map.of("playbook", "prepare-hosts.json",
                            "check", true, "extraVars", Map.of("data_disk", include))), "/extraVars/data_disk: "},
                    new String[] {"/api/runs", JSON.writeValueAsString(Map.of("playbook", "prepare-hosts.json",
                            "extraVars", Map.of("disks", List.of("xvdf", Map.of("name", include))))),
                            "/extraVars/disks/1/name: "},
                    new String[] {"/api/hosts/node1/reprepare", JSON.writeValueAsString(Map.of("check", true,
                            "extraVars", Map.of("data_disk", include))), "/extraVars/data_disk: "});
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (String[] call : calls) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + call[0]))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(call[1])).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(r.statusCode()).as("%s %s: %s", call[0], call[1], r.body()).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo(call[2]
                        + "holds template markup ({{, {% or {#); extra vars are data, not templates:"
                        + " they are never rendered (write templates in the playbook's vars)");
                assertThat(r.body()).doesNotContain(marker);
            }
            HttpResponse<String> runs = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/runs"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(runs.body()).path("runs")).as("no run started").isEmpty();
        } finally {
            server.close();
        }
        assertThat(state.resolve("runs")).as("no run log").doesNotExist();
        assertNowhereUnder(state);
    }
}
