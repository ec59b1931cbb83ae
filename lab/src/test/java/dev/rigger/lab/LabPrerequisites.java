package dev.rigger.lab;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** A lab test needs root, a running dockerd and the host tools; missing ones fail under CI and skip elsewhere. */
public final class LabPrerequisites {
    private LabPrerequisites() {
    }

    public static void require() {
        check("root".equals(System.getProperty("user.name")), "the lab needs root (loop devices, debootstrap)");
        for (String tool : new String[] {"losetup", "ssh", "ssh-keygen", "docker", "debootstrap", "tar", "blkid"}) {
            check(Commands.available(tool), "`" + tool + "` is not installed");
        }
        check(Files.exists(Path.of("/dev/loop-control")), "no /dev/loop-control: the loop driver is missing");
        check(Files.isDirectory(Path.of(System.getProperty("java.home"), "jmods")),
                "the JDK has no jmods for the ECS simulator image's runtime (Debian 12: openjdk-17-jdk-headless)");
        String docker;
        try (LabDocker d = LabDocker.connect()) {
            docker = null;
        } catch (LabException e) {
            docker = e.getMessage();
        }
        check(docker == null, docker);
    }

    private static void check(boolean ok, String why) {
        if (ok) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("lab test prerequisite missing under CI: " + why);
        }
        Assumptions.assumeTrue(false, "skipped: " + why);
    }
}
