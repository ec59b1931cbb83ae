package dev.rigger.controller.modules.ec2;

import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleProvider;

public final class Ec2ModuleProvider implements ControllerModuleProvider {
    @Override
    public String name() {
        return "ec2";
    }

    @Override
    public ControllerModule create() {
        return new Ec2Module();
    }
}
