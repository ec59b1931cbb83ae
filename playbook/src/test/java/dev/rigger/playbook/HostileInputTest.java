package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input meant to break the loader or the terminal: it gets a located problem, never an escaping error. */
class HostileInputTest {
    private final PlaybookLoader loader = new PlaybookLoader();

    private static String oneTask(String task) {
        return "{\"name\": \"t\", \"plays\": [{\"name\": \"p\", \"hosts\": \"all\", \"tasks\": [" + task + "]}]}";
    }

    private List<Problem> problemsOf(String json) {
        PlaybookException e = catchThrowableOfType(PlaybookException.class, () -> loader.load(json, "pb.json", Map.of()));
        assertThat(e).as("the playbook should have been refused").isNotNull();
        return e.problems();
    }

    @Test
    void printsNewlinesEscapesAndDirectionOverridesAsEscapes() {
        assertThat(Problem.printable("a\nb\r\tc\u001b[2J\u202eevil\ufeff\u0000"))
                .isEqualTo("a\\nb\\r\\tc\\u001b[2J\\u202eevil\\ufeff\\u0000");
        String plain = "/plays/0/tasks/1: 'naïve' ok";
        assertThat(Problem.printable(plain)).isSameAs(plain);
        assertThat(new Problem("a\nb.json", "/vars/x\ny", 1, 2, "bad '\u001b'").toString())
                .isEqualTo("a\\nb.json:1:2: /vars/x\\ny: bad '\\u001b'");
    }

    @Test
    void refusesADeviceADirectoryAndBytesThatAreNotUtf8(@TempDir Path dir) throws Exception {
        Path latin1 = Files.write(dir.resolve("l.json"), "{\"name\": \"x\",\n \"vars\": {\"a\": \"\u00e9\"}}"
                .getBytes(StandardCharsets.ISO_8859_1));

        assertThat(catchThrowableOfType(PlaybookException.class, () -> loader.load(Path.of("/dev/zero"), Map.of())))
                .hasMessage("/dev/zero: not a regular file (a device, FIFO or socket)");
        assertThat(catchThrowableOfType(PlaybookException.class, () -> loader.load(dir, Map.of())))
                .hasMessage(dir + ": is a directory, not a file");
        assertThat(catchThrowableOfType(PlaybookException.class, () -> loader.load(latin1, Map.of())))
                .hasMessage(latin1 + ":2:17: not UTF-8 text: byte 0xe9 cannot start or continue a character");
    }

    @Test
    void readsAPlaybookThatStartsWithAByteOrderMark(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bom.json"), "\uFEFF" + oneTask("{\"name\": \"t\", \"module\": \"facts\"}"));

        assertThat(loader.load(file, Map.of()).plays()).hasSize(1);
    }

    @Test
    void refusesIntegersThatWouldWrapAndNumbersBeyondADouble() {
        assertThat(problemsOf(oneTask("{\"name\": \"t\", \"module\": \"facts\", \"retries\": 4294967296}")))
                .extracting(Problem::pointer, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/plays/0/tasks/0/retries",
                        "must be at most 2147483647, found 4294967296"));
        assertThat(problemsOf(oneTask("{\"name\": \"t\", \"module\": \"facts\", \"delaySec\": 1e400}")))
                .extracting(Problem::message).containsExactly("number too large to compute with: Infinity");
        assertThat(problemsOf("{\"name\": \"x\", \"vars\": {\"n\": 123456789012345678901234567890}, "
                + "\"plays\": [{\"name\": \"p\", \"hosts\": \"all\", \"tasks\": [{\"name\": \"t\", \"module\": \"facts\"}]}]}"))
                .extracting(Problem::pointer).containsExactly("/vars/n");
    }

    @Test
    void aTemplateNestedThousandsDeepIsAProblemNotAStackOverflow() {
        String deep = "{{ " + "(".repeat(20000) + "1" + ")".repeat(20000) + " }}";

        assertThat(new TemplateChecker().check(deep, Set.of()))
                .singleElement().asString().startsWith("template nested too deeply to read: \"{{ (((")
                .endsWith("(40007 characters)\"");
    }

    @Test
    void aHostPatternThatCannotBeReadIsFoundWithoutAnInventory() {
        assertThat(HostPattern.check("all")).isNull();
        assertThat(HostPattern.check("lab:&ecs:!node2,node[12],~web\\d+,all[0]")).isNull();
        assertThat(HostPattern.check("~(")).startsWith("bad regex '~('");
        assertThat(HostPattern.check("a:!")).contains("a '&' or '!' without a name");
        assertThat(HostPattern.check(" : ")).startsWith("empty host pattern");
        assertThat(HostPattern.check("all[99999999999]")).endsWith("index too large");
        assertThatThrownBy(() -> HostPattern.select("all[99999999999]", Map.of(), List.of("a")))
                .isInstanceOf(HostPatternException.class).hasMessageContaining("index too large");
        assertThat(problemsOf("{\"name\": \"x\", \"plays\": [{\"name\": \"p\", \"hosts\": \"~(\", "
                + "\"tasks\": [{\"name\": \"t\", \"module\": \"facts\"}]}]}"))
                .extracting(Problem::pointer, Problem::line, Problem::column)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/plays/0/hosts", 1, 48));
    }

    @Test
    void anImportPathWithANulIsAProblem() {
        assertThat(problemsOf("{\"name\": \"x\", \"plays\": [{\"import\": \"a\\u0000.json\"}]}"))
                .extracting(Problem::pointer, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/plays/0/import",
                        "a file name cannot hold a NUL character"));
    }

    @Test
    void anUnknownMemberOfTheObjectFormOfAnAlternativeIsNamed() {
        assertThat(problemsOf(oneTask("{\"name\": \"t\", \"module\": \"disk\", \"args\": {\"select\": {\"colour\": \"red\"}}}")))
                .extracting(Problem::pointer, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/plays/0/tasks/0/args/select/colour",
                        "unknown property 'colour'; expected one of: name, serial, size, auto, minSize"));
    }

    @Test
    void jacksonsMessagesLoseWhatOnlyAProgrammerCanActOn() {
        assertThat(JsonDocument.jsonMessage("Unexpected end-of-input: expected close marker for Object (start marker at"
                + " [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])"))
                .isEqualTo("Unexpected end-of-input: expected close marker for Object (start marker at line 1, column 1)");
        assertThat(JsonDocument.jsonMessage("Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"))
                .isEqualTo("Non-standard token 'NaN'");
        assertThat(JsonDocument.jsonMessage("Unexpected character ('/' (code 47)): maybe a (non-standard) comment?"
                + " (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)"))
                .isEqualTo("JSON has no comments");
    }
}
