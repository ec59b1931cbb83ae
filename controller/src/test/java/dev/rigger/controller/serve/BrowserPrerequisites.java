package dev.rigger.controller.serve;

import dev.rigger.controller.e2e.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dashboard test needs root and a dockerd (for its lab) and Debian's Chromium and ChromeDriver: in CI
 * their absence is a failure, elsewhere a skip.
 */
final class BrowserPrerequisites {
    /** Debian's chromium package; {@code -Drigger.chromium=...} points elsewhere. */
    static final Path CHROMIUM = Path.of(System.getProperty("rigger.chromium", "/usr/bin/chromium"));
    /** Debian's chromium-driver package; {@code -Drigger.chromedriver=...} points elsewhere. */
    static final Path CHROMEDRIVER = Path.of(System.getProperty("rigger.chromedriver", "/usr/bin/chromedriver"));

    private static final String WHO = "the dashboard browser test";

    static void require() {
        Prerequisites.requireLab(WHO);
        Prerequisites.require(WHO, !Files.isExecutable(CHROMIUM) ? "Chromium at " + CHROMIUM + " (Debian package chromium)"
                : !Files.isExecutable(CHROMEDRIVER) ? "ChromeDriver at " + CHROMEDRIVER + " (Debian package chromium-driver)"
                : null);
    }

    private BrowserPrerequisites() {
    }
}
