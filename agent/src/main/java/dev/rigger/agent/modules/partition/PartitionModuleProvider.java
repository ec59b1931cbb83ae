package dev.rigger.agent.modules.partition;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class PartitionModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "partition";
    }

    @Override
    public AgentModule create() {
        return new PartitionModule();
    }
}
