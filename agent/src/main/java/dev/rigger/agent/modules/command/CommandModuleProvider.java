package dev.rigger.agent.modules.command;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class CommandModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "command";
    }

    @Override
    public AgentModule create() {
        return new CommandModule();
    }
}
