package dev.rigger.controller.modules.waitfor;

import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleProvider;

public final class WaitForModuleProvider implements ControllerModuleProvider {
    @Override
    public String name() {
        return "wait_for";
    }

    @Override
    public ControllerModule create() {
        return new WaitForModule();
    }
}
