package dev.rigger.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.protocol.facts.FactsCheck;
import dev.rigger.protocol.facts.HostFacts;
import org.junit.jupiter.api.Test;

/** The controller refuses facts that lack their shape: what an honest agent gathers must never be refused. */
class GatheredFactsShapeTest {

    @Test
    void theFactsGatheredOnThisHostPassTheControllersChecks() {
        HostFacts facts = FactsCollector.collect();

        assertThat(facts.interfaces()).as("something was gathered").isNotEmpty();
        assertThat(facts.mounts()).isNotEmpty();
        assertThat(FactsCheck.problems(facts)).as(FactsCheck.describe(FactsCheck.problems(facts))).isEmpty();
    }
}
