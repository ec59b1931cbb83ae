package dev.rigger.agent.modules.preallocate;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class PreallocateModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "preallocate";
    }

    @Override
    public AgentModule create() {
        return new PreallocateModule();
    }
}
