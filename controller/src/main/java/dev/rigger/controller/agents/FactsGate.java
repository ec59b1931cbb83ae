package dev.rigger.controller.agents;

import dev.rigger.protocol.facts.FactsCheck;
import dev.rigger.protocol.facts.HostFacts;
import java.util.List;

/**
 * Where facts from a host enter the controller: the agent's hello, a facts answer. A host's root controls
 * what its agent reports, and playbooks render facts into other hosts' files, so every fact is checked
 * against its shape ({@link FactsCheck}) before anything keeps or renders it.
 */
public final class FactsGate {
    private FactsGate() {
    }

    /** @return {@code facts}, when every field has its shape; null passes (a host that reported none) */
    public static HostFacts admit(String host, HostFacts facts) {
        List<FactsCheck.Problem> problems = FactsCheck.problems(facts);
        if (!problems.isEmpty()) {
            throw new FactsRefusedException(host, FactsCheck.describe(problems));
        }
        return facts;
    }
}
