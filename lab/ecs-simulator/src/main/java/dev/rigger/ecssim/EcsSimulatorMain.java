package dev.rigger.ecssim;

/** Entry point of the ECS simulator image. */
public final class EcsSimulatorMain {
    public static void main(String[] args) {
        System.err.println("ECS simulator: not built yet");
        System.exit(1);
    }

    private EcsSimulatorMain() {
    }
}
