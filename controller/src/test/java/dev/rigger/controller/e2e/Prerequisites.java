package dev.rigger.controller.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;

/** Lab tests need root and a dockerd that answers: in CI their absence is a failure, elsewhere a skip. */
final class Prerequisites {

    static void requireLab() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean docker = run("docker", "info");
        String missing = !root ? "root" : !docker ? "a dockerd that answers 'docker info'" : null;
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("lab tests need " + missing + " (CI must provide it)");
        }
        assumeTrue(false, "lab tests need " + missing);
    }

    private static boolean run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private Prerequisites() {
    }
}
