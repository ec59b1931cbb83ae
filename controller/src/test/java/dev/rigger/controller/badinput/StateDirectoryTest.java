package dev.rigger.controller.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.controller.e2e.CliRun;
import dev.rigger.controller.e2e.Prerequisites;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.controller.state.JsonFileStateStore.CorruptStateException;
import dev.rigger.controller.state.StateOwnership;
import dev.rigger.controller.state.StateOwnership.UntrustedStateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A corrupt {@code state.json} is refused with its file, line:column and pointer, is never overwritten, and
 * a copy of it is kept beside it; a missing state directory is made; one that cannot be a directory is a
 * clear error; a state directory or a trusted file in it that another user owns or may write is refused
 * before anything is read from it. Read through the store and through the real CLI.
 */
class StateDirectoryTest {
    private static final String BROKEN = "{\n  \"hosts\": {\n    \"node1\": {\"tasks\": {}},,\n  }\n}\n";

    @TempDir
    Path dir;
    private WatchedHost host;
    private Path inventory;
    private Path playbook;

    @BeforeEach
    void setUp() throws IOException {
        host = new WatchedHost();
        inventory = host.writeInventory(dir.resolve("inventory.json"));
        playbook = Files.writeString(dir.resolve("book.json"), """
                {"name": "x", "plays": [{"name": "p", "hosts": "all",
                  "tasks": [{"name": "t", "module": "command", "args": {"argv": ["true"]}}]}]}
                """);
    }

    @AfterEach
    void tearDown() throws IOException {
        assertThat(host.wasContacted()).as("a host was contacted").isFalse();
        host.close();
    }

    private Path state(String content) throws IOException {
        Path stateDir = Files.createDirectories(dir.resolve("state"));
        Files.writeString(stateDir.resolve("state.json"), content);
        return stateDir;
    }

    private static List<Path> backups(Path stateDir) throws IOException {
        try (Stream<Path> files = Files.list(stateDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("state.json.corrupt-")).toList();
        }
    }

    @Test
    void refusesACorruptStateNamingTheFileLineAndColumnAndKeepsOneCopy() throws IOException {
        Path stateDir = state(BROKEN);

        assertThatThrownBy(() -> JsonFileStateStore.open(stateDir))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageContaining(stateDir.resolve("state.json") + ":3:28: /hosts/node1: invalid JSON")
                .hasMessageContaining("a copy is kept at " + stateDir.resolve("state.json.corrupt-"))
                .hasMessageContaining("rigger will not use or overwrite this state");
        assertThatThrownBy(() -> JsonFileStateStore.peekPlays(stateDir)).isInstanceOf(CorruptStateException.class);
        assertThatThrownBy(() -> JsonFileStateStore.peekHosts(stateDir)).isInstanceOf(CorruptStateException.class);

        assertThat(Files.readString(stateDir.resolve("state.json"))).as("left as it was").isEqualTo(BROKEN);
        List<Path> backups = backups(stateDir);
        assertThat(backups).as("one copy however often it is read").hasSize(1);
        assertThat(Files.readString(backups.get(0))).isEqualTo(BROKEN);
        assertThat(Files.exists(stateDir.resolve("lock"))).isTrue();
        // the refused open released its lock: a fixed file opens at once
        Files.writeString(stateDir.resolve("state.json"), "{}");
        JsonFileStateStore.open(stateDir).close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not an object      | `[]`                                                   | :1:1: expected an object",
            "hosts a list       | `{\"hosts\": []}`                                      | :1:11: /hosts: expected an object",
            "a host a string    | `{\"hosts\": {\"node1\": \"x\"}}`                      | :1:21: /hosts/node1: expected an object",
            "tasks a list       | `{\"hosts\": {\"node1\": {\"tasks\": []}}}`            | :1:31: /hosts/node1/tasks: expected an object",
            "inventory bad port | `{\"inventory\": {\"hosts\": {\"n\": {\"address\": \"a\", \"port\": 0}}}}` | :1:56: /inventory/hosts/n/port: expected a port number",
            "empty              | ``                                                     | :1:1: empty file",
    })
    void refusesAStateOfTheWrongShape(String what, String content, String expected) throws IOException {
        Path stateDir = state(content);

        assertThatThrownBy(() -> JsonFileStateStore.open(stateDir)).as(what)
                .isInstanceOf(CorruptStateException.class)
                .hasMessageContaining(stateDir.resolve("state.json") + expected);
        assertThat(Files.readString(stateDir.resolve("state.json"))).isEqualTo(content);
        assertThat(backups(stateDir)).hasSize(1);
    }

    @Test
    void aPlayRecordThisVersionCannotReadIsNamedByItsPointer() throws IOException {
        Path stateDir = state("{\"hosts\": {\"node1\": {\"plays\": {\"book/p\": \"failed\"}}}}");

        assertThatThrownBy(() -> JsonFileStateStore.peekPlays(stateDir))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("state.json:1:42: /hosts/node1/plays/book~1p: not a play record");
    }

    @Test
    void theCliRefusesACorruptStateWithExitTwoBeforeContactingAnyHost() throws IOException {
        Path stateDir = state(BROKEN);

        CliRun run = CliRun.quiet("play", playbook.toString(), "--inventory", inventory.toString(),
                "--state", stateDir.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(stateDir.resolve("state.json") + ":3:28: /hosts/node1: invalid JSON")
                .contains("a copy is kept at");
        CleanErrors.assertNoStackTrace(run, "corrupt state");
        assertThat(Files.readString(stateDir.resolve("state.json"))).isEqualTo(BROKEN);
        assertThat(backups(stateDir)).hasSize(1);
    }

    @Test
    void aPlaybookWithItsOwnInventoryStillNeverRunsOnACorruptState() throws IOException {
        Path stateDir = state(BROKEN);
        Path own = Files.writeString(dir.resolve("own.json"), """
                {"name": "x", "inventory": {"hosts": {"node1": {"address": "127.0.0.1", "port": %d}}},
                 "plays": [{"name": "p", "hosts": "all", "tasks": [{"name": "t", "module": "facts"}]}]}
                """.formatted(host.port()));

        CliRun run = CliRun.quiet("play", own.toString(), "--state", stateDir.toString());

        // refused when the run opens its state, before any host is dialled (the exit code is the CLI's: see the report)
        assertThat(run.exitCode()).as(run.err()).isNotZero();
        assertThat(run.err()).contains(stateDir.resolve("state.json") + ":3:28:").contains("a copy is kept at");
        CleanErrors.assertNoStackTrace(run, "corrupt state, playbook inventory");
        assertThat(Files.readString(stateDir.resolve("state.json"))).isEqualTo(BROKEN);
    }

    @Test
    void theStateCanBeCheckedBeforeARunWithoutTouchingIt() throws IOException {
        Path stateDir = state(BROKEN);

        assertThatThrownBy(() -> JsonFileStateStore.checkUsable(stateDir)).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining(":3:28: /hosts/node1: invalid JSON");
        JsonFileStateStore.checkUsable(dir.resolve("not/yet"));

        assertThat(dir.resolve("not")).as("a check makes nothing").doesNotExist();
        assertThat(Files.exists(stateDir.resolve("lock"))).as("nor takes the lock").isFalse();
    }

    @Test
    void aMissingStateDirectoryIsMade() throws IOException {
        Path stateDir = dir.resolve("a/b/state");

        JsonFileStateStore.open(stateDir).close();

        assertThat(stateDir).isDirectory();
    }

    @Test
    void aStateDirectoryThatIsAFileIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> JsonFileStateStore.open(file))
                .hasMessage(file + ": the state directory (--state) is not a directory");
        assertThatThrownBy(() -> JsonFileStateStore.open(file.resolve("state")))
                .hasMessageContaining(file.resolve("state") + ": cannot create the state directory (--state)");
        for (Path stateDir : List.of(file, file.resolve("state"))) {
            CliRun run = CliRun.quiet("play", playbook.toString(), "--inventory", inventory.toString(),
                    "--state", stateDir.toString());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("the state directory (--state) cannot be used: " + file + " is a file");
            CleanErrors.assertNoStackTrace(run, stateDir.toString());
        }
    }

    @Test
    void aMissingStateDirectoryIsMadeReadableByItsOwnerOnly() throws IOException {
        Path stateDir = dir.resolve("fresh/state");

        JsonFileStateStore.open(stateDir).close();

        assertThat(Files.getPosixFilePermissions(stateDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".", "serve.token", "known_hosts", "serve.json", "state.json", "keys", "keys/id_ed25519",
            "serve-tls.key", "lab", "lab/rigger", "lab/rigger/inventory.json", "lab/rigger/known_hosts"})
    void aStatePathWritableByTheGroupIsRefusedBeforeAnythingIsRead(String name) throws IOException {
        Path stateDir = trustedState();
        Path hostile = stateDir.resolve(name).normalize();
        Files.setPosixFilePermissions(hostile, add(Files.getPosixFilePermissions(hostile), PosixFilePermission.GROUP_WRITE));

        CliRun run = CliRun.quiet("play", playbook.toString(), "--inventory", inventory.toString(),
                "--state", stateDir.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(hostile + ": owned by uid " + uid(stateDir))
                .containsPattern("mode 0[0-7]*[2367][0-7]")
                .contains("chmod go-w " + hostile)
                .doesNotContain("chown");
        CleanErrors.assertNoStackTrace(run, name);
        assertThatThrownBy(() -> StateOwnership.check(stateDir)).isInstanceOf(UntrustedStateException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".", "serve.token", "known_hosts", "serve.json", "state.json", "keys", "keys/id_ed25519",
            "serve-tls.key", "lab", "lab/rigger", "lab/rigger/inventory.json", "lab/rigger/known_hosts"})
    void aStatePathOwnedByAnotherUserIsRefused(String name) throws IOException {
        Prerequisites.require("tests that give a file to another user", "root".equals(System.getProperty("user.name"))
                ? null : "root");
        Path stateDir = trustedState();
        Path hostile = stateDir.resolve(name).normalize();
        Files.setAttribute(hostile, "unix:uid", ANOTHER_UID);

        CliRun run = CliRun.quiet("facts", "node1", "--inventory", inventory.toString(), "--state", stateDir.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(hostile + ": owned by uid " + ANOTHER_UID)
                .contains("chown " + uid(dir) + " " + hostile)
                .doesNotContain("chmod");
        CleanErrors.assertNoStackTrace(run, name);
    }

    @Test
    void aLinkInTheStateDirectoryPlantedByAnotherUserIsRefused() throws IOException {
        Prerequisites.require("tests that give a file to another user", "root".equals(System.getProperty("user.name"))
                ? null : "root");
        Path stateDir = trustedState();
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.json"), "{}");
        Files.delete(stateDir.resolve("serve.json"));
        Path link = Files.createSymbolicLink(stateDir.resolve("serve.json"), elsewhere);
        Files.setAttribute(link, "unix:uid", ANOTHER_UID, LinkOption.NOFOLLOW_LINKS);

        assertThatThrownBy(() -> StateOwnership.check(stateDir)).isInstanceOf(UntrustedStateException.class)
                .hasMessageContaining(link + ": a link owned by uid " + ANOTHER_UID);
    }

    @Test
    void aTrustedStateDirectoryPasses() throws IOException {
        Path stateDir = trustedState();

        StateOwnership.check(stateDir);
        StateOwnership.check(dir.resolve("not/yet"));

        assertThat(dir.resolve("not")).as("a check makes nothing").doesNotExist();
    }

    private static final int ANOTHER_UID = 4321;

    /** A state directory with each trusted file, all this user's and 0600/0700. */
    private Path trustedState() throws IOException {
        Path stateDir = dir.resolve("trusted");
        for (String sub : List.of(".", "keys", "lab", "lab/rigger")) {
            Path made = Files.createDirectories(stateDir.resolve(sub));
            Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwx------"));
        }
        for (String name : List.of("serve.token", "known_hosts", "serve.json", "state.json", "keys/id_ed25519", "serve-tls.key",
                "lab/rigger/inventory.json", "lab/rigger/known_hosts")) {
            Path file = Files.writeString(stateDir.resolve(name), name.endsWith(".json") && !name.equals("serve.json") ? "{}" : "x\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return stateDir;
    }

    private static Set<PosixFilePermission> add(Set<PosixFilePermission> permissions, PosixFilePermission extra) {
        Set<PosixFilePermission> more = EnumSet.copyOf(permissions);
        more.add(extra);
        return more;
    }

    private static int uid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid");
    }

    @Test
    void aStateFileThatIsADirectoryIsAClearError() throws IOException {
        Path stateDir = Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(stateDir.resolve("state.json"));

        assertThatThrownBy(() -> JsonFileStateStore.open(stateDir))
                .hasMessage(stateDir.resolve("state.json") + ": not a regular file; rigger keeps its state there (move it away)");
    }
}
