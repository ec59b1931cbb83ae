package dev.rigger.agent.modules.disk;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class DiskModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "disk";
    }

    @Override
    public AgentModule create() {
        return new DiskModule();
    }
}
