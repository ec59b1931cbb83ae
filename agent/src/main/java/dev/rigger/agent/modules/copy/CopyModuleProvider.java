package dev.rigger.agent.modules.copy;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class CopyModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "copy";
    }

    @Override
    public AgentModule create() {
        return new CopyModule();
    }
}
