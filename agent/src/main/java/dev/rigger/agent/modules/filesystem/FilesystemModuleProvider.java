package dev.rigger.agent.modules.filesystem;

import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleProvider;

public final class FilesystemModuleProvider implements ModuleProvider {
    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public AgentModule create() {
        return new FilesystemModule();
    }
}
