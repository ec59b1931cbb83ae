package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Templates templates = new Templates();

    private final Map<String, Object> context = TemplateContext.builder()
            .playbookVars(Map.of("ecs_owner", 444, "data_disk", "xvdf", "skip_disk", false,
                    "packages", List.of("xfsprogs", "parted")))
            .register("data", json("{\"path\": \"/dev/xvdf\", \"sizeBytes\": 107374182400, \"changed\": true}"))
            .facts(json("{\"os\": {\"family\": \"debian\"}, \"memTotalBytes\": 0}"))
            .inventoryHostname("node1")
            .groups(Map.of("all", List.of("node1", "node2")))
            .playHosts(List.of("node1", "node2"))
            .build();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aStringThatIsOneExpressionKeepsTheExpressionsType() {
        JsonNode rendered = templates.render(json("""
                {"owner": "{{ ecs_owner }}", "force": " {{ skip_disk }} ", "names": "{{ packages }}",
                 "size": "{{ data.sizeBytes }}", "os": "{{ facts.os }}", "sum": "{{ ecs_owner + 1 }}"}
                """), context);

        assertThat(rendered.get("owner").isIntegralNumber()).as("a number stays a number").isTrue();
        assertThat(rendered.get("owner").asInt()).isEqualTo(444);
        assertThat(rendered.get("force").isBoolean()).as("whitespace around the one expression is allowed").isTrue();
        assertThat(rendered.get("names")).isEqualTo(json("[\"xfsprogs\", \"parted\"]"));
        assertThat(rendered.get("size").asLong()).isEqualTo(107374182400L);
        assertThat(rendered.get("os")).isEqualTo(json("{\"family\": \"debian\"}"));
        assertThat(rendered.get("sum").asInt()).isEqualTo(445);
    }

    @Test
    void textWithAnExpressionRendersToTextAndMapsPrintAsJson() {
        JsonNode rendered = templates.render(json("""
                {"path": "/ecs/uuid-{{ ecs_owner }}", "two": "{{ data_disk }}-{{ ecs_owner }}",
                 "os": "os={{ facts.os }}", "plain": "no template", "n": 5, "list": ["{{ data.path }}", true]}
                """), context);

        assertThat(rendered.get("path").asText()).isEqualTo("/ecs/uuid-444");
        assertThat(rendered.get("two").asText()).as("two expressions are text, not one native value")
                .isEqualTo("xvdf-444");
        assertThat(rendered.get("os").asText()).isEqualTo("os={\"family\":\"debian\"}");
        assertThat(rendered.get("plain").asText()).isEqualTo("no template");
        assertThat(rendered.get("n").asInt()).isEqualTo(5);
        assertThat(rendered.get("list")).isEqualTo(json("[\"/dev/xvdf\", true]"));
    }

    @Test
    void anUnknownVariableIsAnErrorThatNamesItAndTheTemplate() {
        assertThatThrownBy(() -> templates.render(json("{\"d\": \"/dev/{{ dta.path }}\"}"), context))
                .isInstanceOf(TemplateException.class)
                .hasMessage("unknown variable 'dta' in \"/dev/{{ dta.path }}\"")
                .satisfies(e -> {
                    assertThat(((TemplateException) e).variable()).isEqualTo("dta");
                    assertThat(((TemplateException) e).template()).isEqualTo("/dev/{{ dta.path }}");
                });
    }

    @Test
    void anUnknownAttributeIsAnErrorToo() {
        assertThatThrownBy(() -> templates.renderText("{{ data.partuuid }}", context))
                .isInstanceOf(TemplateException.class)
                .hasMessage("no attribute 'partuuid' in \"{{ data.partuuid }}\"");
    }

    @Test
    void whenReadsABareExpressionWithAnsibleTruthiness() {
        assertThat(templates.test("data.sizeBytes > 0", context)).isTrue();
        assertThat(templates.test("not skip_disk", context)).isTrue();
        assertThat(templates.test("facts.os.family == 'debian'", context)).isTrue();
        assertThat(templates.test("facts.os.family == 'redhat'", context)).isFalse();
        assertThat(templates.test("data.changed and facts.memTotalBytes == 0", context)).isTrue();
        assertThat(templates.test("facts.memTotalBytes", context)).as("0 is false").isFalse();
        assertThat(templates.test("packages", context)).as("a non-empty list is true").isTrue();
        assertThat(templates.test("[]", context)).as("an empty list is false").isFalse();
        assertThat(templates.test("''", context)).as("an empty string is false").isFalse();
        assertThat(templates.test("undefined_var is defined", context)).isFalse();
        assertThat(templates.test("'yes' | bool", context)).isTrue();
        assertThat(templates.test("'off' | bool", context)).isFalse();
    }

    @Test
    void toUuidGivesTheSameValueAsAnsible() {
        // python3 -c "import uuid;print(uuid.uuid5(uuid.UUID('361e6d51-faec-444a-9079-341386da8e2e'),'node1'))"
        // 361e6d51-... is Ansible's UUID_NAMESPACE_ANSIBLE, which its to_uuid filter uses
        String expected = "b55f1bdd-ca90-5a70-b673-0be5233e0c56";

        assertThat(templates.renderText("{{ inventory_hostname | to_uuid }}", context)).isEqualTo(expected);
    }

    @Test
    void offersTheFiltersAnsibleUsersReachFor() {
        assertThat(templates.renderText("{{ packages | join(',') }}", context)).isEqualTo("xfsprogs,parted");
        assertThat(templates.renderText("{{ nothing | default('none') }}", context)).isEqualTo("none");
        assertThat(templates.renderText("{{ data | to_json }}", context))
                .isEqualTo("{\"path\":\"/dev/xvdf\",\"sizeBytes\":107374182400,\"changed\":true}");
        assertThat(templates.evaluate("'42' | int", context)).isEqualTo(42L);
        assertThat(templates.evaluate("1 | bool", context)).isEqualTo(true);
        assertThat(templates.evaluate("'True' | bool", context)).isEqualTo(true);
    }

    @Test
    void aSyntaxErrorNamesTheTemplate() {
        assertThatThrownBy(() -> templates.renderText("{{ a b }}", context))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("\"{{ a b }}\": ");
    }

    @Test
    void extraVarsWinOverEveryOtherVarAndFixedKeysCannotBeShadowed() {
        Map<String, Object> ctx = TemplateContext.builder()
                .playbookVars(Map.of("x", "playbook", "inventory_hostname", "spoofed"))
                .playVars(Map.of("x", "play"))
                .extraVars(Map.of("x", "extra"))
                .inventoryHostname("node1")
                .build();

        assertThat(templates.renderText("{{ x }} {{ inventory_hostname }}", ctx)).isEqualTo("extra node1");
    }

    @Test
    void jsonBecomesPlainMapsAndListsForContexts() {
        Object value = Templates.toContextValue(json("{\"a\": [1, \"b\", null, {\"c\": false}]}"));

        assertThat(value).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) value).get("a")).isInstanceOf(List.class);
        assertThat(value).hasToString("{\"a\":[1,\"b\",null,{\"c\":false}]}");
    }

    @Test
    void aVarThatHoldsATemplateIsRenderedWhenReadKeepingItsType() {
        Map<String, Object> ctx = TemplateContext.builder()
                .playbookVars(Map.of("mount_path", "/ecs/uuid-{{ part.partuuid }}", "disk_size", "{{ data.sizeBytes }}",
                        "later", "{{ not_registered_yet.path }}", "dirs", List.of("{{ mount_path }}/data")))
                .register("part", Map.of("partuuid", "8f1c"))
                .register("data", Map.of("sizeBytes", 4096))
                .build();

        JsonNode rendered = templates.render(json("{\"path\": \"{{ mount_path }}\", \"size\": \"{{ disk_size }}\","
                + " \"dirs\": \"{{ dirs }}\"}"), ctx);

        assertThat(rendered.get("path").asText()).isEqualTo("/ecs/uuid-8f1c");
        assertThat(rendered.get("size").isIntegralNumber()).as("the var's one expression keeps its type").isTrue();
        assertThat(rendered.get("dirs")).isEqualTo(json("[\"/ecs/uuid-8f1c/data\"]"));
    }

    @Test
    void aVarThatRefersToItselfIsAnErrorThatShowsTheCycle() {
        Map<String, Object> ctx = TemplateContext.builder()
                .playbookVars(Map.of("a", "{{ b }}", "b", "x{{ a }}"))
                .build();

        assertThatThrownBy(() -> templates.renderText("{{ a }}", ctx))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("var 'a' refers to itself: a -> b -> a");
    }

    @Test
    void aVarWithAnUnknownVariableNamesBothTemplates() {
        Map<String, Object> ctx = TemplateContext.builder()
                .playVars(Map.of("mount_path", "/ecs/{{ prt.uuid }}"))
                .build();

        assertThatThrownBy(() -> templates.renderText("{{ mount_path }}", ctx))
                .isInstanceOf(TemplateException.class)
                .hasMessage("\"{{ mount_path }}\": unknown variable 'prt' in \"/ecs/{{ prt.uuid }}\"");
    }
}
