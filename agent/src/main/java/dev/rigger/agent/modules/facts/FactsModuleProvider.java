package dev.rigger.agent.modules.facts;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class FactsModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "facts";
    }

    @Override
    public AgentModule create() {
        return new FactsModule();
    }
}
