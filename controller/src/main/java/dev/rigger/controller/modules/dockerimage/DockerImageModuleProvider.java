package dev.rigger.controller.modules.dockerimage;

import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleProvider;

public final class DockerImageModuleProvider implements ControllerModuleProvider {
    @Override
    public String name() {
        return "docker_image";
    }

    @Override
    public ControllerModule create() {
        return new DockerImageModule();
    }
}
