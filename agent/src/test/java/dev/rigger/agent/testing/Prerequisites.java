package dev.rigger.agent.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Real-system tests need root and some binaries: missing ones fail under CI=true and skip elsewhere. */
public final class Prerequisites {
    private Prerequisites() {
    }

    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "these tests need root (loop devices, mount, mknod)");
    }

    public static void requireBinaries(String... names) {
        for (String name : names) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
                found |= Files.isExecutable(Path.of(dir, name));
            }
            found |= Files.isExecutable(Path.of("/usr/sbin", name)) || Files.isExecutable(Path.of("/sbin", name));
            require(found, "binary " + name + " is needed (Debian packages: util-linux, mount, gdisk, xfsprogs, e2fsprogs, coreutils)");
        }
    }

    private static void require(boolean ok, String why) {
        if ("true".equals(System.getenv("CI"))) {
            if (!ok) {
                fail("prerequisite missing under CI=true: " + why);
            }
        } else {
            assumeTrue(ok, why);
        }
    }
}
