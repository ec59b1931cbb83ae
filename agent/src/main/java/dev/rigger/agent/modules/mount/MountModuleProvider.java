package dev.rigger.agent.modules.mount;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class MountModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "mount";
    }

    @Override
    public AgentModule create() {
        return new MountModule();
    }
}
