package dev.rigger.controller.modules.ecs;

import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleProvider;

public final class EcsModuleProvider implements ControllerModuleProvider {
    @Override
    public String name() {
        return "ecs";
    }

    @Override
    public ControllerModule create() {
        return new EcsModule();
    }
}
