package dev.rigger.controller.modules.ec2;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;

/** The emulator's instances are lab hosts: root and a dockerd are needed; on CI their absence is a failure. */
final class Ec2Prerequisites {
    private Ec2Prerequisites() {
    }

    static void requireLab() {
        boolean root = "root".equals(System.getProperty("user.name"));
        String missing = !root ? "root" : !answers("docker", "info") ? "a dockerd that answers 'docker info'" : null;
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("the EC2 emulator tests need " + missing + " (CI must provide it)");
        }
        assumeTrue(false, "the EC2 emulator tests need " + missing);
    }

    private static boolean answers(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
