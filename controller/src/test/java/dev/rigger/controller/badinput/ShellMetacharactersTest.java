package dev.rigger.controller.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.playbook.Playbook;
import dev.rigger.playbook.PlaybookLoader;
import dev.rigger.playbook.Task;
import dev.rigger.playbook.TemplateContext;
import dev.rigger.playbook.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shell metacharacters in vars, {@code -e} values and facts reach a command as data: a templated argv
 * element renders to exactly one element holding the text verbatim, however it is quoted or split, so the
 * agent's exec (argv, no shell) never sees a command line to re-parse. Only {@code cmd} is a shell string,
 * by its definition.
 */
class ShellMetacharactersTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"$(touch /tmp/rigger-pwned)", "`touch /tmp/rigger-pwned`", "a; touch /tmp/rigger-pwned",
            "a && b || c", "x | nc 127.0.0.1 9", "> /etc/passwd", "'\"", "two words", "a\nb", "--help", "-rf", "*",
            "${HOME}", "\\"})
    void aHostileValueRendersToOneArgvElementVerbatim(String hostile) throws Exception {
        Path file = Files.writeString(dir.resolve("book.json"), """
                {"name": "x", "vars": {"from_vars": "set below, as the run sets it"},
                 "plays": [{"name": "p", "hosts": "all", "tasks": [
                   {"name": "t", "module": "command",
                    "args": {"argv": ["printf", "%s|%s|%s", "{{ x }}", "{{ from_vars }}", "pre-{{ x }}"]}}]}]}
                """);
        Map<String, Object> extraVars = Map.of("x", hostile);
        Playbook book = new PlaybookLoader().load(file, extraVars);
        Task task = book.plays().get(0).tasks().get(0);
        Map<String, Object> context = TemplateContext.builder().playbookVars(Map.of("from_vars", hostile))
                .extraVars(extraVars).inventoryHostname("node1").build();

        JsonNode argv = new Templates().render(task.args(), context).get("argv");

        assertThat(argv).hasSize(5);
        assertThat(argv.get(2).textValue()).as("a var alone is the value itself").isEqualTo(hostile);
        assertThat(argv.get(3).textValue()).isEqualTo(hostile);
        assertThat(argv.get(4).textValue()).as("inside text, still one element").isEqualTo("pre-" + hostile);
    }
}
