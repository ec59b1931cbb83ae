package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's fstab injection, run as an attacker who controls only the mount options (an extra var):
 * a newline would add an fstab line that mounts the data disk over / at the next boot, a {@code #} would
 * comment out the rest of the line. prepare-hosts must refuse the mount task on every node, naming the
 * argument, leave /etc/fstab byte for byte as it was and mount nothing.
 */
@Tag("lab")
class FstabInjectionLabTest {
    private static LabRun cluster;

    @BeforeAll
    static void labUp() throws IOException {
        cluster = new LabRun("disks-fstab", 2, "prepare-hosts.json");
    }

    @AfterAll
    static void labDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** /etc/fstab's bytes (as a hash and as text) and every mount the node has, per node. */
    private static Map<String, String> snapshot() {
        Map<String, String> s = new TreeMap<>();
        for (String n : cluster.nodeNames()) {
            Node node = cluster.node(n);
            s.put(n + " fstab", node.sh("sha256sum /etc/fstab; cat /etc/fstab"));
            s.put(n + " mounts", node.sh("cut -d' ' -f3- /proc/self/mountinfo | sort"));
        }
        return s;
    }

    private static void assertRefusedEverywhere(CliRun run, Map<String, String> before, String shownValue) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isNotZero();
        for (String n : cluster.nodeNames()) {
            assertThat(run.out()).as(n).containsPattern("failed: \\[" + n + "\\].*args\\.options: expected one fstab field");
            assertThat(run.out()).as(n).contains("got \"" + shownValue + "\"");
            assertThat(cluster.node(n).run("findmnt -rn -S /dev/xvdf1").exit()).as("%s: the data disk is not mounted", n).isNotZero();
        }
        assertThat(snapshot()).as("fstab and mounts on every node").isEqualTo(before);
    }

    @Test
    void aNewlineInMountOptionsFromTheCommandLineAddsNoFstabLine() {
        Map<String, String> before = snapshot();

        CliRun run = cluster.play("-e", "mount_options=rw\n/dev/xvdf1 / xfs defaults 0 0");

        assertRefusedEverywhere(run, before, "rw\\n/dev/xvdf1 / xfs defaults 0 0");
    }

    @Test
    void aHashAndANewlineInMountOptionsFromAVarsFileAreRefused() throws IOException {
        Map<String, String> before = snapshot();
        Path vars = Files.createTempFile(cluster.stateDir, "vars", ".json");
        Files.writeString(vars, "{\"mount_options\": \"rw,noatime # \\n/dev/xvdf1 /etc xfs defaults 0 0\"}");

        CliRun run = cluster.play("-e", "@" + vars);

        assertRefusedEverywhere(run, before, "rw,noatime # \\n/dev/xvdf1 /etc xfs defaults 0 0");
    }
}
