package dev.rigger.controller.modules;

/** One change a controller-side plan makes when applied. */
public interface ControllerStep {
    /** What the step does, phrased so that "would " can precede it. */
    String describe();

    void apply(ControllerModuleContext context) throws Exception;

    static ControllerStep of(String description, Action action) {
        return new ControllerStep() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public void apply(ControllerModuleContext context) throws Exception {
                action.run(context);
            }
        };
    }

    @FunctionalInterface
    interface Action {
        void run(ControllerModuleContext context) throws Exception;
    }
}
