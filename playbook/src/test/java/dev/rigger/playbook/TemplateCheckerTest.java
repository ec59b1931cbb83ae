package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateCheckerTest {

    private final TemplateChecker checker = new TemplateChecker();

    @Test
    void findsAnUnknownVariableAndSuggestsAKnownOne() {
        assertThat(checker.check("{{ dta.path }}", Set.of("data", "facts")))
                .containsExactly("unknown variable 'dta' in \"{{ dta.path }}\"; did you mean 'data'?");
    }

    @Test
    void acceptsKnownRootsWithoutCheckingTheirAttributes() {
        assertThat(checker.check("/ecs/uuid-{{ part.partuuid }}-{{ facts.no.such.thing }}", Set.of("part", "facts")))
                .isEmpty();
    }

    @Test
    void walksEveryBranchWhateverItsCondition() {
        assertThat(checker.checkExpression("data.changed or missing_one", Set.of("data")))
                .containsExactly("unknown variable 'missing_one' in \"data.changed or missing_one\"");
        assertThat(checker.check("{% if data %}{{ a }}{% else %}{{ b }}{% endif %}", Set.of("data", "a")))
                .containsExactly("unknown variable 'b' in \"{% if data %}{{ a }}{% else %}{{ b }}{% endif %}\"");
    }

    @Test
    void letsDefinedAndDefaultReadOptionalVariables() {
        assertThat(checker.checkExpression("optional is defined and optional", Set.of())).hasSize(1)
                .as("the second read is not guarded").first().asString().contains("'optional'");
        assertThat(checker.check("{{ size | default('4G') }}", Set.of())).isEmpty();
        assertThat(checker.checkExpression("optional is not defined", Set.of())).isEmpty();
    }

    @Test
    void knowsTheVariablesALoopInsideATemplateDefines() {
        assertThat(checker.check("{% for h in play_hosts %}{{ h }}:{{ loop.index }} {% endfor %}", Set.of("play_hosts")))
                .isEmpty();
    }

    @Test
    void findsUnknownFiltersAndSyntaxErrors() {
        assertThat(checker.check("{{ x | to_yaml }}", Set.of("x")))
                .containsExactly("unknown filter 'to_yaml' in \"{{ x | to_yaml }}\"");
        assertThat(checker.check("{{ x | to_uuid | bool | int | to_json | join(',') }}", Set.of("x"))).isEmpty();
        assertThat(checker.check("{{ x", Set.of("x"))).singleElement().asString()
                .startsWith("template error in \"{{ x\"");
    }
}
