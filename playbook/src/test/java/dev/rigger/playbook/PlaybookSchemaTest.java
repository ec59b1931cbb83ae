package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;

class PlaybookSchemaTest {

    @Test
    void isItselfAValidDraft2020Schema() {
        var metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

        assertThat(metaSchema.validate(PlaybookSchema.get().document())).isEmpty();
    }

    @Test
    void knowsTheAgentModulesAndTheControllerModules() {
        assertThat(PlaybookSchema.get().modules()).containsExactly("command", "copy", "disk", "docker_container",
                "docker_image", "ec2", "ecs", "facts", "file", "filesystem", "hosts", "mount", "package", "partition",
                "preallocate", "service", "wait_for");
    }

    @Test
    void givesArgumentsToEveryModuleItNames() {
        var defs = PlaybookSchema.get().document().at("/$defs/args/$defs");
        var tests = PlaybookSchema.get().document().at("/$defs/isModule/$defs");

        assertThat(PlaybookSchema.get().modules()).allSatisfy(module -> {
            assertThat(defs.has(module)).as("args of " + module).isTrue();
            assertThat(tests.has(module)).as("isModule of " + module).isTrue();
        });
    }
}
