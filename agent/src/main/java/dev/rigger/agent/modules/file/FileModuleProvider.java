package dev.rigger.agent.modules.file;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class FileModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "file";
    }

    @Override
    public AgentModule create() {
        return new FileModule();
    }
}
