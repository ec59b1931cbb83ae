package dev.rigger.agent.modules.service;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class ServiceModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "service";
    }

    @Override
    public AgentModule create() {
        return new ServiceModule();
    }
}
