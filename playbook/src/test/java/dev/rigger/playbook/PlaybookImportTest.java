package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookImportTest {
    @TempDir
    Path dir;

    private static final String PREPARE = """
            {"name": "prepare", "vars": {"disk": "xvdf"}, "plays": [
              {"name": "prep", "hosts": "all", "tasks": [
                {"name": "find", "module": "disk", "args": {"select": {"name": "{{ disk }}"}}, "register": "data"}]}]}
            """;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void anImportedPlaybooksPlaysRunInItsPlaceWithItsVars() throws Exception {
        write("prepare.json", PREPARE);
        Path main = write("main.json", """
                {"name": "all of it", "plays": [
                  {"import": "prepare.json"},
                  {"name": "after", "hosts": "all", "tasks": [
                    {"name": "use it", "module": "partition", "args": {"device": "{{ data.path }}"}}]}]}
                """);

        Playbook book = new PlaybookLoader().load(main, Map.of());

        assertThat(book.plays()).extracting(Play::name).containsExactly("prep", "after");
        assertThat(book.plays().get(0).vars()).as("the imported playbook's vars go with its plays").containsEntry("disk", "xvdf");
    }

    @Test
    void anImportThatClosesACycleIsRefusedWithItsPlace() throws Exception {
        write("a.json", "{\"name\": \"a\", \"plays\": [{\"import\": \"b.json\"}]}");
        write("b.json", "{\"name\": \"b\", \"plays\": [\n  {\"import\": \"a.json\"}]}");

        assertThatThrownBy(() -> new PlaybookLoader().load(dir.resolve("a.json"), Map.of()))
                .isInstanceOf(PlaybookException.class)
                .hasMessageContaining("b.json:2:")
                .hasMessageContaining("/plays/0/import")
                .hasMessageContaining("cycle");
    }

    @Test
    void aMistakeInsideAnImportedPlaybookNamesThatFile() throws Exception {
        write("broken.json", "{\"name\": \"b\", \"plays\": [{\"name\": \"p\", \"hosts\": \"all\", \"tasks\": [\n"
                + "  {\"name\": \"t\", \"module\": \"partition\", \"args\": {}}]}]}");
        Path main = write("main.json", "{\"name\": \"m\", \"plays\": [{\"import\": \"broken.json\"}]}");

        assertThatThrownBy(() -> new PlaybookLoader().load(main, Map.of()))
                .isInstanceOf(PlaybookException.class)
                .hasMessageContaining("broken.json:2:")
                .hasMessageContaining("/plays/0/tasks/0/args");
    }

    @Test
    void aMissingImportIsNamed() throws Exception {
        Path main = write("main.json", "{\"name\": \"m\", \"plays\": [{\"import\": \"nowhere.json\"}]}");

        assertThatThrownBy(() -> new PlaybookLoader().load(main, Map.of()))
                .isInstanceOf(PlaybookException.class)
                .hasMessageContaining("/plays/0/import")
                .hasMessageContaining("nowhere.json");
    }

    @Test
    void theImportsOwnVarsOverrideTheImportedPlaybooksAndHostsMayBeATemplate() throws Exception {
        write("prepare.json", """
                {"name": "prepare", "vars": {"disk": "xvdf", "targets": "all"}, "plays": [
                  {"name": "prep", "hosts": "{{ targets }}", "tasks": [
                    {"name": "find", "module": "disk", "args": {"select": "{{ disk }}"}}]}]}
                """);
        Path main = write("main.json", """
                {"name": "aws", "plays": [{"import": "prepare.json", "vars": {"targets": "ecs", "disk": "nvme1n1"}}]}
                """);

        Play prep = new PlaybookLoader().load(main, Map.of()).plays().get(0);

        assertThat(prep.hosts()).isEqualTo("{{ targets }}");
        assertThat(prep.vars()).containsEntry("targets", "ecs").containsEntry("disk", "nvme1n1");
    }

    @Test
    void anUnknownVariableInAPlaysHostsIsFoundBeforeTheRun() throws Exception {
        Path main = write("main.json", "{\"name\": \"m\", \"plays\": [{\"name\": \"p\",\n \"hosts\": \"{{ tragets }}\","
                + " \"tasks\": [{\"name\": \"t\", \"module\": \"facts\", \"args\": {}}]}]}");

        assertThatThrownBy(() -> new PlaybookLoader().load(main, Map.of()))
                .isInstanceOf(PlaybookException.class)
                .hasMessageContaining("main.json:2:")
                .hasMessageContaining("/plays/0/hosts")
                .hasMessageContaining("tragets");
    }
}
