package dev.rigger.controller.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.e2e.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad {@code --inventory} file is refused before any host is contacted, with exit code 2 and the file,
 * line:column and JSON pointer of the mistake, as a playbook's mistakes are. Addresses and users go to SSH:
 * one that could pass for an option ({@code -oProxyCommand=...}) or hold a newline is refused.
 */
class BadInventoryTest {
    private static final String GOOD_HOST = "\"address\": \"127.0.0.1\", \"port\": %d, \"identityFile\": \"%s\"";

    @TempDir
    static Path dir;
    private static WatchedHost host;
    private static Path playbook;
    private static Path key;

    @BeforeAll
    static void setUp() throws IOException {
        host = new WatchedHost();
        key = TestIdentity.write(dir.resolve("id"));
        playbook = Files.writeString(dir.resolve("book.json"), """
                {"name": "x", "plays": [{"name": "p", "hosts": "all",
                  "tasks": [{"name": "t", "module": "command", "args": {"argv": ["true"]}}]}]}
                """);
    }

    @AfterAll
    static void tearDown() throws IOException {
        host.close();
    }

    private CliRun playWith(String inventoryJson) throws IOException {
        Path inventory = Files.writeString(dir.resolve("inventory.json"),
                inventoryJson.replace("$GOOD", GOOD_HOST.formatted(host.port(), key)));
        return CliRun.quiet("play", playbook.toString(), "--inventory", inventory.toString(),
                "--state", dir.resolve("state").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "broken JSON          | `{\"hosts\": {\"n1\": {$GOOD,}}}`                                   | inventory.json:1:| /hosts/n1",
            "two documents        | `{\"hosts\": {}} {}`                                                 | inventory.json:1:| more than one JSON value",
            "duplicate host       | `{\"hosts\": {\"n1\": {$GOOD}, \"n1\": {$GOOD}}}`                    | inventory.json:1:| Duplicate field 'n1'",
            "a list               | `[]`                                                                 | inventory.json:1:1| expected an object",
            "no hosts             | `{}`                                                                 | inventory.json:1:1| missing required property 'hosts'",
            "hosts a list         | `{\"hosts\": []}`                                                    | inventory.json:1:| /hosts: expected an object",
            "unknown top key      | `{\"hosts\": {}, \"groups\": {}}`                                    | inventory.json:1:| /groups: unknown property",
            "host a string        | `{\"hosts\": {\"n1\": \"127.0.0.1\"}}`                               | inventory.json:1:| /hosts/n1: expected an object",
            "no address           | `{\"hosts\": {\"n1\": {\"port\": 22}}}`                              | inventory.json:1:| /hosts/n1: missing required property 'address'",
            "address a number     | `{\"hosts\": {\"n1\": {\"address\": 1}}}`                            | inventory.json:1:| /hosts/n1/address: expected an address",
            "address with a space | `{\"hosts\": {\"n1\": {\"address\": \"10.0.0.1 -p 2222\"}}}`         | inventory.json:1:| /hosts/n1/address: expected an address",
            "address an option    | `{\"hosts\": {\"n1\": {\"address\": \"-oProxyCommand=touch x\"}}}`   | inventory.json:1:| /hosts/n1/address",
            "address with newline | `{\"hosts\": {\"n1\": {\"address\": \"a\\nb\"}}}`                    | inventory.json:1:| /hosts/n1/address",
            "port a string        | `{\"hosts\": {\"n1\": {$GOOD, \"port\": \"22\"}}}`                   | inventory.json:1:| Duplicate field 'port'",
            "port zero            | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"port\": 0}}}`           | inventory.json:1:| /hosts/n1/port: expected a port number (1-65535), found 0",
            "port too big         | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"port\": 65536}}}`       | inventory.json:1:| /hosts/n1/port",
            "port a fraction      | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"port\": 22.5}}}`         | inventory.json:1:| /hosts/n1/port",
            "port huge            | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"port\": 99999999999999999999}}}` | inventory.json:1:| /hosts/n1/port",
            "port text            | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"port\": \"ssh\"}}}`     | inventory.json:1:| /hosts/n1/port",
            "user an option       | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"user\": \"-oProxyCommand=x\"}}}` | inventory.json:1:| /hosts/n1/user",
            "user empty           | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"user\": \"\"}}}`         | inventory.json:1:| /hosts/n1/user",
            "user with ;          | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"user\": \"root; id\"}}}` | inventory.json:1:| /hosts/n1/user",
            "key a number         | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"identityFile\": 1}}}`   | inventory.json:1:| /hosts/n1/identityFile",
            "key with NUL         | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"identityFile\": \"k\\u0000\"}}}` | inventory.json:1:| /hosts/n1/identityFile",
            "host name ../        | `{\"hosts\": {\"../../etc\": {\"address\": \"a\"}}}`                 | inventory.json:1:| /hosts/..~1..~1etc: '../../etc' is not a valid host name",
            "host name newline    | `{\"hosts\": {\"a\\nb\": {\"address\": \"a\"}}}`                     | inventory.json:1:| /hosts/a\\nb",
            "host name shell      | `{\"hosts\": {\"$(id)\": {\"address\": \"a\"}}}`                     | inventory.json:1:| /hosts/$(id)",
            "group a string       | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"groups\": \"lab\"}}}`   | inventory.json:1:| /hosts/n1/groups: expected a list",
            "group hostile        | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"groups\": [\"a;b\"]}}}` | inventory.json:1:| /hosts/n1/groups/0",
            "host keys not list   | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"hostKeys\": \"k\"}}}`   | inventory.json:1:| /hosts/n1/hostKeys",
            "vars a list          | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"vars\": []}}}`          | inventory.json:1:| /hosts/n1/vars",
            "var name bad         | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"vars\": {\"a-b\": 1}}}}` | inventory.json:1:| /hosts/n1/vars/a-b",
            "unknown host key     | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"password\": \"x\"}}}`    | inventory.json:1:| /hosts/n1/password: unknown property",
            "var includes a file  | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"vars\": {\"v\": [\"{% include x %}\"]}}}}` | inventory.json:1:| /hosts/n1/vars/v/0: 'include' is not allowed in a template: templates read no file",
            "var template broken  | `{\"hosts\": {\"n1\": {\"address\": \"a\", \"vars\": {\"v\": \"{{ x\"}}}}` | inventory.json:1:| /hosts/n1/vars/v: template error",
    })
    void aBadInventoryIsRefusedWithItsPlaceBeforeAnyHostIsContacted(String what, String json, String place,
                                                                     String message) throws IOException {
        CliRun run = playWith(json);

        assertThat(run.exitCode()).as("%s: exit code; stderr:%n%s", what, run.err()).isEqualTo(2);
        assertThat(run.err()).as(what).contains(place).contains(message.replace("\\\\n", "\\n"));
        CleanErrors.assertNoStackTrace(run, what);
        assertThat(host.wasContacted()).as("%s: the host was contacted", what).isFalse();
    }

    @Test
    void anInventoryThatIsNotAFileOrNotTextIsRefused() throws IOException {
        Path notText = Files.write(dir.resolve("latin1.json"), "{\"hosts\": {\"n\u00e9\": {}}}".getBytes(StandardCharsets.ISO_8859_1));
        for (String[] c : new String[][] {
                {"/dev/zero", "not a regular file"},
                {dir.toString(), "is a directory"},
                {dir.resolve("nosuch.json").toString(), "no such file"},
                {notText.toString(), "latin1.json:1:14: not UTF-8 text"}}) {
            CliRun run = CliRun.quiet("play", playbook.toString(), "--inventory", c[0], "--state", dir.resolve("state").toString());

            assertThat(run.exitCode()).as("%s: %s", c[0], run.err()).isEqualTo(2);
            assertThat(run.err()).as(c[0]).contains(c[1]);
            CleanErrors.assertNoStackTrace(run, c[0]);
        }
        assertThat(host.wasContacted()).isFalse();
    }

    @Test
    void aGoodInventoryOfTheSameShapeIsUsed() throws IOException {
        // the control for the cases above: a host on a closed port, so the run dials it and is refused at once
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path inventory = Files.writeString(dir.resolve("good.json"), """
                {"hosts": {"n1": {"address": "127.0.0.1", "port": %d, "user": "root", "identityFile": "%s",
                                  "hostKeys": [], "groups": ["lab"], "vars": {"a": 1}}}}
                """.formatted(closed, key));

        CliRun run = CliRun.quiet("play", playbook.toString(), "--inventory", inventory.toString(),
                "--state", dir.resolve("state").toString());

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(3);
        assertThat(run.out()).contains("unreachable: [n1]").contains("refused");
    }
}
