package dev.rigger.controller.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;

/** Tests with real parts need them: in CI their absence is a failure, elsewhere a skip. */
public final class Prerequisites {

    /** Lab tests need root and a dockerd that answers. */
    public static void requireLab() {
        requireLab("lab tests");
    }

    public static void requireLab(String who) {
        boolean root = "root".equals(System.getProperty("user.name"));
        require(who, !root ? "root" : !answers("docker", "info") ? "a dockerd that answers 'docker info'" : null);
    }

    /** Fails (CI) or skips (elsewhere) when {@code missing} names what is absent; does nothing when it is null. */
    public static void require(String who, String missing) {
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(who + " need " + missing + " (CI must provide it)");
        }
        assumeTrue(false, who + " need " + missing);
    }

    private static boolean answers(String... argv) {
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
