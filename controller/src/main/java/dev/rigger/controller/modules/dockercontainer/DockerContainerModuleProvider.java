package dev.rigger.controller.modules.dockercontainer;

import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleProvider;

public final class DockerContainerModuleProvider implements ControllerModuleProvider {
    @Override
    public String name() {
        return "docker_container";
    }

    @Override
    public ControllerModule create() {
        return new DockerContainerModule();
    }
}
