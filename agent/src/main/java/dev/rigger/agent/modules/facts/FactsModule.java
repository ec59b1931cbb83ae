package dev.rigger.agent.modules.facts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.Plan;

/**
 * {@code facts}: gathers the host's facts; changes nothing. Data: the facts ({@code HostFacts} as a map).
 * <pre>{@code {"name": "gather facts", "module": "facts", "args": {}, "register": "f"}}</pre>
 */
public final class FactsModule implements AgentModule {
    @Override
    public Plan plan(ObjectNode args, ModuleContext ctx) {
        return Plan.noop("facts gathered", ModuleData.fromRecord(ctx.hostFacts()));
    }
}
