package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad playbooks exit 2 with the place of the mistake, and no host is contacted: the inventory's
 * only host is a socket this test listens on, and it must see no connection.
 */
class BadInputTest {
    private ServerSocket watchedHost;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        watchedHost = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        watchedHost.setSoTimeout(300);
        dir = Files.createTempDirectory("rigger-bad-input");
        Files.writeString(dir.resolve("inventory.json"), """
                {"hosts": {"node1": {"address": "127.0.0.1", "port": %d, "user": "root", "identityFile": "id"}}}
                """.formatted(watchedHost.getLocalPort()));
    }

    @AfterEach
    void tearDown() throws IOException {
        watchedHost.close();
        LabRun.deleteTree(dir);
    }

    private CliRun play(String playbook) throws IOException {
        Path file = dir.resolve("book.json");
        Files.writeString(file, playbook);
        return CliRun.of("play", file.toString(), "--inventory", dir.resolve("inventory.json").toString(),
                "--state", dir.resolve("state").toString());
    }

    private void assertNoHostWasContacted() throws IOException {
        try {
            watchedHost.accept().close();
            throw new AssertionError("a host was contacted although the playbook was bad");
        } catch (SocketTimeoutException expected) {
            // nobody knocked
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad JSON                 | '{\"name\": \"x\", \"plays\": [ {\"name\": \"p\" ,, ] }' | book.json:1:",
            "unknown module           | '{\"name\":\"x\",\"plays\":[{\"name\":\"p\",\"hosts\":\"all\",\"tasks\":[\n {\"name\":\"t\",\"module\":\"dsik\",\"args\":{}}]}]}' | /plays/0/tasks/0/module",
            "missing argument         | '{\"name\":\"x\",\"plays\":[{\"name\":\"p\",\"hosts\":\"all\",\"tasks\":[\n {\"name\":\"t\",\"module\":\"partition\",\"args\":{}}]}]}' | /plays/0/tasks/0/args",
            "mistyped argument        | '{\"name\":\"x\",\"plays\":[{\"name\":\"p\",\"hosts\":\"all\",\"tasks\":[\n {\"name\":\"t\",\"module\":\"partition\",\"args\":{\"device\":\"/dev/x\",\"force\":\"yes\"}}]}]}' | /plays/0/tasks/0/args/force",
            "unknown template variable| '{\"name\":\"x\",\"plays\":[{\"name\":\"p\",\"hosts\":\"all\",\"tasks\":[\n {\"name\":\"t\",\"module\":\"partition\",\"args\":{\"device\":\"{{ dta.path }}\"}}]}]}' | /plays/0/tasks/0/args/device",
    })
    void aBadPlaybookExitsTwoNamingThePlaceBeforeAnyHostIsContacted(String kind, String playbook, String place) throws IOException {
        CliRun run = play(playbook);

        assertThat(run.exitCode()).as(kind + ": " + run.err()).isEqualTo(2);
        assertThat(run.err()).as(kind).contains(place);
        if (!kind.startsWith("bad JSON")) {
            assertThat(run.err()).as("%s: line:column of the mistake", kind).containsPattern("book\\.json:2:\\d+");
        }
        assertNoHostWasContacted();
    }

    @Test
    void aLimitNamingAnUnknownHostIsBadInput() throws IOException {
        Path file = dir.resolve("good.json");
        Files.writeString(file, "{\"name\":\"x\",\"plays\":[{\"name\":\"p\",\"hosts\":\"all\",\"tasks\":[{\"name\":\"t\",\"module\":\"facts\",\"args\":{}}]}]}");
        CliRun run = CliRun.of("play", file.toString(), "--inventory", dir.resolve("inventory.json").toString(),
                "--state", dir.resolve("state").toString(), "--limit", "node9");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("node9");
        assertNoHostWasContacted();
    }
}
