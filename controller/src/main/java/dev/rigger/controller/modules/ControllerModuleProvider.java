package dev.rigger.controller.modules;

/** Makes a controller-side module known; listed in {@code META-INF/services}. */
public interface ControllerModuleProvider {
    String name();

    ControllerModule create();
}
