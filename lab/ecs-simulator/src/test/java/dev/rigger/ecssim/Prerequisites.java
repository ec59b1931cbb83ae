package dev.rigger.ecssim;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Real-system prerequisites: a missing one fails the test when CI=true and skips it otherwise. */
final class Prerequisites {
    private Prerequisites() {
    }

    static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("prerequisite missing on CI: " + what);
        }
        assumeTrue(false, "prerequisite missing: " + what);
    }

    /** Loop devices, mkfs.xfs, mount and chown to uid 444 need root. */
    static void requireRootWithXfsTools() {
        require("root".equals(System.getProperty("user.name")), "running as root");
        require(onPath("losetup") && onPath("mkfs.xfs") && onPath("mount"), "losetup, mkfs.xfs and mount on PATH");
        require(Files.exists(Path.of("/dev/loop-control")), "/dev/loop-control");
    }

    static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", binary)) || Files.isExecutable(Path.of("/sbin", binary));
    }
}
