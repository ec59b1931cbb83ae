package dev.rigger.controller.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.e2e.CliRun;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad {@code -e} values, bad {@code --limit} values and playbook paths that are no playbook file (a device,
 * a directory, a huge file) are refused with exit code 2 and a message that says what was expected, before
 * any host is contacted.
 */
class BadArgumentsTest {
    @TempDir
    static Path dir;
    private static WatchedHost host;
    private static Path playbook;
    private static Path inventory;

    @BeforeAll
    static void setUp() throws IOException {
        host = new WatchedHost();
        inventory = host.writeInventory(dir.resolve("inventory.json"));
        playbook = Files.writeString(dir.resolve("book.json"), """
                {"name": "x", "plays": [{"name": "p", "hosts": "all",
                  "tasks": [{"name": "t", "module": "command", "args": {"argv": ["true"]}}]}]}
                """);
        Files.writeString(dir.resolve("broken.json"), "{\"a\": 1,\n \"b\": }");
        Files.writeString(dir.resolve("list.json"), "[1, 2]");
        Files.writeString(dir.resolve("dup.json"), "{\"a\": 1, \"a\": 2}");
        Files.writeString(dir.resolve("two.json"), "{\"a\": 1} {\"b\": 2}");
        Files.writeString(dir.resolve("names.json"), "{\"ok\": 1,\n \"a b\": 2, \"item\": 3}");
        Files.writeString(dir.resolve("empty.json"), "");
        Files.write(dir.resolve("binary.json"), new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'});
        Files.createDirectories(dir.resolve("adir.json"));
        Files.writeString(dir.resolve("limit-empty.txt"), "# nobody\n\n");
        Files.write(dir.resolve("limit-binary.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 'n'});
    }

    @AfterAll
    static void tearDown() throws IOException {
        host.close();
    }

    @AfterEach
    void noHostWasContacted() throws IOException {
        assertThat(host.wasContacted()).as("a host was contacted").isFalse();
    }

    private static CliRun play(String... extra) {
        String[] args = new String[extra.length + 6];
        args[0] = "play";
        args[1] = playbook.toString();
        args[2] = "--inventory";
        args[3] = inventory.toString();
        args[4] = "--state";
        args[5] = dir.resolve("state").toString();
        System.arraycopy(extra, 0, args, 6, extra.length);
        return CliRun.quiet(args);
    }

    private static void assertRefused(CliRun run, String what, String... expected) {
        assertThat(run.exitCode()).as("%s: exit code; stderr:%n%s", what, run.err()).isEqualTo(2);
        for (String e : expected) {
            assertThat(run.err()).as(what).contains(e);
        }
        CleanErrors.assertNoStackTrace(run, what);
        CleanErrors.assertEveryLineStartsWith(run, what, "rigger: ", "-e ", dir.toString(), "/dev/zero");
    }

    @ParameterizedTest(name = "-e {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "x                | expected key=value or @file.json",
            "=5               | expected key=value or @file.json",
            "``               | expected key=value or @file.json",
            "1x=5             | '1x' is not a valid variable name",
            "a-b=5            | 'a-b' is not a valid variable name",
            "a b=5            | 'a b' is not a valid variable name",
            "$(id)=5          | '$(id)' is not a valid variable name",
            "facts=5          | 'facts' is reserved for the run",
            "item=5           | 'item' is reserved for the run",
            "hostvars=5       | 'hostvars' is reserved for the run",
            "@nosuch.json     | nosuch.json: no such file",
            "@adir.json       | adir.json: is a directory",
            "@/dev/zero       | /dev/zero: not a regular file",
            "@broken.json     | broken.json:2:7: /b: invalid JSON",
            "@list.json       | list.json:1:1: expected a JSON object of variables",
            "@dup.json        | dup.json:1:13: /a: invalid JSON: Duplicate field 'a'",
            "@two.json        | two.json:1:10: invalid JSON: more than one JSON value",
            "@names.json      | names.json:2:2: /a b: 'a b' is not a valid variable name",
            "@empty.json      | empty.json:1:1: empty file",
            "@binary.json     | binary.json:1:3: not UTF-8 text",
            "@                | -e @: ",
    })
    void aBadExtraVarIsRefused(String spec, String expected) {
        boolean local = spec.length() > 1 && spec.startsWith("@") && !spec.startsWith("@/");
        CliRun run = play("-e", local ? "@" + dir.resolve(spec.substring(1)) : spec);

        assertRefused(run, "-e " + spec, expected);
    }

    @Test
    void everyBadVarOfAVarsFileIsNamedWithItsPlace() {
        CliRun run = play("-e", "@" + dir.resolve("names.json"));

        assertRefused(run, "names.json", "names.json:2:2: /a b:", "names.json:2:12: /item: 'item' is reserved");
    }

    @Test
    void aNewlineInAnExtraVarNameIsShownEscapedOnOneLine() {
        CliRun run = play("-e", "a\nrigger: forged line=1");

        assertRefused(run, "newline", "'a\\nrigger: forged line' is not a valid variable name");
        assertThat(run.err().strip().lines()).as("one line, no forged one").hasSize(1);
    }

    @ParameterizedTest(name = "--limit {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "node9                 | unknown host or group 'node9'",
            "all[99999999999999]   | index too large",
            "all[5]                | all has 1 host(s)",
            "~(                    | bad regex '~('",
            "!                     | a '&' or '!' without a name",
            "`:,`                  | empty host pattern",
            "@nosuch.txt           | no such file",
            "@limit-empty.txt      | the file names no host",
            "@limit-binary.txt     | not UTF-8 text",
            "@/dev/zero            | not a regular file",
    })
    void aBadLimitIsRefused(String limit, String expected) {
        String arg = limit.startsWith("@") && !limit.startsWith("@/") ? "@" + dir.resolve(limit.substring(1)) : limit;

        assertRefused(play("--limit", arg), "--limit " + limit, expected);
    }

    @Test
    void aPlaybookPathThatIsNoPlaybookFileIsRefused() throws IOException {
        Path huge = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(17L * 1024 * 1024);
        }
        Path zero = Files.createSymbolicLink(dir.resolve("zero.json"), Path.of("/dev/zero"));
        Path importsZero = Files.writeString(dir.resolve("imports-zero.json"),
                "{\"name\": \"x\", \"plays\": [{\"import\": \"zero.json\"}]}", StandardCharsets.UTF_8);
        try {
            for (String[] c : new String[][] {
                    {"/dev/zero", "/dev/zero: not a regular file"},
                    {zero.toString(), "zero.json: not a regular file"},
                    {importsZero.toString(), "imports-zero.json:1:36: /plays/0/import: cannot import zero.json: not a regular file"},
                    {dir.toString(), ": is a directory"},
                    {huge.toString(), "huge.json: too large: 17825792 bytes"},
                    {dir.resolve("nosuch.json").toString(), "nosuch.json: no such file"}}) {
                CliRun run = CliRun.quiet("play", c[0], "--inventory", inventory.toString(), "--state",
                        dir.resolve("state").toString());

                assertRefused(run, c[0], c[1]);
            }
        } finally {
            Files.delete(huge);
        }
    }

    @Test
    void aPlaybookWithAByteOrderMarkIsRead() throws IOException {
        Path bom = Files.writeString(dir.resolve("bom.json"), "\uFEFF" + Files.readString(playbook));

        CliRun run = CliRun.quiet("play", bom.toString(), "--inventory", inventory.toString(), "--state",
                dir.resolve("state").toString(), "--limit", "node9");

        // refused for the limit, which is checked after the playbook was read: so the playbook was fine
        assertRefused(run, "bom", "unknown host or group 'node9'");
    }
}
