package dev.rigger.agent.modules.packages;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class PackageModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "package";
    }

    @Override
    public AgentModule create() {
        return new PackageModule();
    }
}
