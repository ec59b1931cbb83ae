package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.tokenParser.IncludeTokenParser;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Templates come from playbooks and vars as strings and never read a file of the controller: the tags that
 * name another template are refused when the playbook loads, the engine's loader reads nothing even if one
 * got through, and extra vars are data that no template engine ever sees as a template.
 */
class TemplatesReadNoFileTest {

    @TempDir
    static Path dir;

    private final Templates templates = new Templates();

    /** A file holding a random marker: what an attacker wants to read. */
    private static Path secretFile() throws IOException {
        return Files.writeString(dir.resolve("secret-" + UUID.randomUUID()), "marker-" + UUID.randomUUID());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "include | {% include \"FILE\" %}",
            "import  | {% import \"FILE\" %}",
            "from    | {% from \"FILE\" import m %}{{ m() }}",
            "extends | {% extends \"FILE\" %}",
            "embed   | {% embed \"FILE\" %}{% endembed %}",
            "macro   | {% macro m() %}x{% endmacro %}{{ m() }}",
    })
    void aTagThatReadsAnotherTemplateIsRefusedWhenThePlaybookLoads(String tag, String template) throws IOException {
        Path secret = secretFile();
        String json = "{\"name\": \"t\",\n \"plays\": [{\"name\": \"p\", \"hosts\": \"all\", \"tasks\": [\n"
                + "  {\"name\": \"t\", \"module\": \"command\", \"args\": {\"argv\": [\"echo\", \""
                + template.replace("FILE", secret.toString()).replace("\"", "\\\"") + "\"]}}]}]}\n";

        PlaybookException e = catchThrowableOfType(PlaybookException.class,
                () -> new PlaybookLoader().load(json, "pb.json", Map.of()));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.problems()).hasSize(1);
        Problem p = e.problems().get(0);
        assertThat(p.toString()).isEqualTo("pb.json:3:64: /plays/0/tasks/0/args/argv/1: '" + tag
                + "' is not allowed in a template: templates read no file");
    }

    @Test
    void evenAtRenderTimeAnIncludeReadsNoFileAndSaysSo() throws IOException {
        Path secret = secretFile();
        String content = Files.readString(secret);

        TemplateException e = catchThrowableOfType(TemplateException.class,
                () -> templates.renderText("x{% include \"" + secret + "\" %}", Map.of()));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("'include' is not allowed in a template: templates read no file")
                .doesNotContain(content);
    }

    @Test
    void theLoaderBehindTheRefusalReadsNothingEvenWhenTheIncludeTagIsBack() throws IOException {
        Path secret = secretFile();
        String content = Files.readString(secret);
        // an engine like ours, with Pebble's own include put back in front of the refusal
        PebbleEngine engine = TemplateEngines.builder().extension(new AbstractExtension() {
            @Override
            public List<TokenParser> getTokenParsers() {
                return List.of(new IncludeTokenParser());
            }
        }).build();
        StringWriter out = new StringWriter();

        PebbleException e = catchThrowableOfType(PebbleException.class,
                () -> engine.getLiteralTemplate("x{% include \"" + secret + "\" %}").evaluate(out, Map.of()));

        assertThat(e).as("the include failed").isNotNull();
        assertThat(e.getMessage()).as("the loader refused, not the parser")
                .contains("templates read no file ('" + secret + "' was not read)")
                .doesNotContain("is not allowed").doesNotContain(content);
        assertThat(out.toString()).doesNotContain(content);
    }

    @Test
    void theI18nFunctionThatReadsTheClasspathDoesNotExist() {
        assertThat(new TemplateChecker().check("{{ i18n('messages', 'x') }}", java.util.Set.of()))
                .singleElement().asString().contains("unknown function 'i18n'");
    }

    @Test
    void anExtraVarHoldingATemplateStaysThatText() throws IOException {
        Path secret = secretFile();
        String hostile = "{% include \"" + secret + "\" %}{{ 6 * 7 }}";
        Map<String, Object> context = TemplateContext.builder()
                .playbookVars(Map.of("disk", "{{ data_disk }}", "data_disk", "sdb"))
                .extraVars(Map.of("data_disk", hostile, "nested", Map.of("list", List.of(hostile))))
                .build();

        assertThat(templates.renderText("{{ data_disk }}", context)).isEqualTo(hostile);
        assertThat(templates.renderText("disk={{ disk }}", context)).as("a playbook var that reads it")
                .isEqualTo("disk=" + hostile);
        assertThat(templates.render(Templates.toJson(Map.of("a", "{{ nested.list[0] }}")), context).get("a").asText())
                .isEqualTo(hostile);
    }

    @Test
    void markupAnywhereInAnExtraVarIsFoundWithItsPlace() {
        assertThat(ExtraVarsData.markupAt("plain {{")).isEqualTo("");
        assertThat(ExtraVarsData.markupAt("a {# comment #}")).isEqualTo("");
        assertThat(ExtraVarsData.markupAt(Map.of("disks", List.of("sdb", "{% include 'x' %}")))).isEqualTo("/disks/1");
        assertThat(ExtraVarsData.markupAt(Map.of("a/b", Map.of("c", "x{{ y }}")))).isEqualTo("/a~1b/c");
        assertThat(ExtraVarsData.markupAt(Map.of("n", 5, "s", "sdb", "l", List.of(true, "{ {")))).isNull();
    }

    @Test
    void everyTemplateEngineOfTheProjectIsBuiltByTemplateEngines() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(root)) {
            sources = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        assertThat(sources).as("the modules' sources").hasSizeGreaterThanOrEqualTo(4);
        List<Path> builders = new ArrayList<>();
        for (Path source : sources) {
            try (Stream<Path> files = Files.walk(source)) {
                builders.addAll(files.filter(TemplatesReadNoFileTest::buildsAnEngine).toList());
            }
        }
        assertThat(builders).as("engines built elsewhere could read files").isEmpty();
        assertThat(root.resolve("playbook/src/main/java/dev/rigger/playbook/TemplateEngines.java")).exists();
    }

    private static boolean buildsAnEngine(Path file) {
        if (!file.toString().endsWith(".java") || file.getFileName().toString().equals("TemplateEngines.java")) {
            return false;
        }
        try {
            String text = Files.readString(file);
            return text.contains("PebbleEngine.Builder") || text.contains("new PebbleEngine(");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
