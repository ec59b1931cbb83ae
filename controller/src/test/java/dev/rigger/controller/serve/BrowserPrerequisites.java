package dev.rigger.controller.serve;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard test needs root and a dockerd (for its lab) and Debian's Chromium and ChromeDriver: in CI
 * their absence is a failure, elsewhere a skip.
 */
final class BrowserPrerequisites {
    /** Debian's chromium package; {@code -Drigger.chromium=...} points elsewhere. */
    static final Path CHROMIUM = Path.of(System.getProperty("rigger.chromium", "/usr/bin/chromium"));
    /** Debian's chromium-driver package; {@code -Drigger.chromedriver=...} points elsewhere. */
    static final Path CHROMEDRIVER = Path.of(System.getProperty("rigger.chromedriver", "/usr/bin/chromedriver"));

    static void require() {
        String missing = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            missing = "root";
        } else if (!run("docker", "info")) {
            missing = "a dockerd that answers 'docker info'";
        } else if (!Files.isExecutable(CHROMIUM)) {
            missing = "Chromium at " + CHROMIUM + " (Debian package chromium)";
        } else if (!Files.isExecutable(CHROMEDRIVER)) {
            missing = "ChromeDriver at " + CHROMEDRIVER + " (Debian package chromium-driver)";
        }
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("the dashboard browser test needs " + missing + " (CI must provide it)");
        }
        assumeTrue(false, "the dashboard browser test needs " + missing);
    }

    private static boolean run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private BrowserPrerequisites() {
    }
}
