package dev.rigger.agent.modules.hosts;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class HostsModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "hosts";
    }

    @Override
    public AgentModule create() {
        return new HostsModule();
    }
}
