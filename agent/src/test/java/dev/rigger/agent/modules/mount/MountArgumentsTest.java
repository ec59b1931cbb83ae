package dev.rigger.agent.modules.mount;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.check;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.modules.Plan;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mount module refuses values that would change the fstab line's fields or lines, and mount points it would reach through a link. */
class MountArgumentsTest {
    static final String FSTAB = "# static file system information\n/dev/vda / ext4 defaults 0 1\n";

    @TempDir
    Path tmp;
    Path fstab;

    @BeforeEach
    void setUp() throws Exception {
        fstab = Files.writeString(tmp.resolve("fstab"), FSTAB);
    }

    private String args(String device, String path, String type, String options) {
        return "{\"device\":" + q(device) + ",\"path\":" + q(path) + ",\"type\":" + q(type) + ",\"options\":" + q(options)
                + ",\"fstabSource\":\"device\",\"fstabPath\":" + q(fstab.toString()) + "}";
    }

    private void refused(ModuleResult r, String expected) throws Exception {
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(expected);
        assertThat(r.msg()).as("one line").doesNotContain("\n");
        assertThat(Files.readString(fstab)).as("fstab untouched").isEqualTo(FSTAB);
    }

    @Test
    void optionsWithANewlineAndASecondFstabLineAreRefusedShownEscaped() throws Exception {
        ModuleResult r = apply("mount", args("/dev/xvdf1", tmp.resolve("m").toString(), "xfs", "rw\n/dev/xvdf1 / xfs defaults 0 0"));
        refused(r, "args.options: expected one fstab field");
        assertThat(r.msg()).contains("got \"rw\\n/dev/xvdf1 / xfs defaults 0 0\"");
    }

    @Test
    void aHashThatWouldCommentOutTheRestOfTheLineIsRefused() throws Exception {
        refused(apply("mount", args("/dev/xvdf1", tmp.resolve("m").toString(), "xfs", "rw#")), "args.options: ");
        refused(apply("mount", args("/dev/xvdf1", tmp.resolve("m").toString(), "xfs#", "rw")), "args.type: ");
    }

    @Test
    void eachFieldRefusesBlanksControlCharactersAndEscapes() throws Exception {
        String m = tmp.resolve("m").toString();
        refused(apply("mount", args("/dev/xvdf1", m, "xfs", "rw,\tnoatime")), "args.options: ");
        refused(apply("mount", args("/dev/xvdf1", m, "xfs", "rw\\012x")), "args.options: ");
        refused(apply("mount", args("/dev/xvdf1", m, "xfs defaults", "rw")), "args.type: ");
        refused(apply("mount", args("/dev/xvdf1 /", m, "xfs", "rw")), "args.device: ");
        refused(apply("mount", args("LABEL=a\u0000b", m, "xfs", "rw")), "got \"LABEL=a\\u0000b\"");
        refused(apply("mount", args("/dev/xvdf1", m + "/a b", "xfs", "rw")), "args.path: ");
        refused(apply("mount", args("/dev/xvdf1", m + "\r", "xfs", "rw")), "args.path: ");
        refused(apply("mount", args("/dev/xvdf1", m + "\u00a0", "xfs", "rw")), "args.path: ");
    }

    @Test
    void aMountPointMustBeCanonical() throws Exception {
        for (String bad : new String[] {"ecs/data", tmp + "/../etc", tmp + "//m", tmp + "/m/", tmp + "/./m", tmp + "/.."}) {
            refused(apply("mount", args("/dev/xvdf1", bad, "xfs", "rw")), "args.path: expected a canonical absolute path");
        }
    }

    @Test
    void aSymlinkedMountPointIsRefusedNamingTheLink() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("uuid-1"), Path.of("/etc"));
        ModuleResult r = apply("mount", args("/dev/xvdf1", link.toString(), "xfs", "rw"));
        refused(r, link + " is a symbolic link (to /etc)");
        ModuleResult off = apply("mount", "{\"path\":" + q(link.toString()) + ",\"state\":\"unmounted\"}");
        refused(off, link + " is a symbolic link");
    }

    @Test
    void aLinkAnywhereAboveTheMountPointIsRefused() throws Exception {
        Path parent = Files.createSymbolicLink(tmp.resolve("ecs"), Files.createDirectory(tmp.resolve("elsewhere")));
        ModuleResult r = check("mount", args("/dev/xvdf1", parent.resolve("uuid-1").toString(), "xfs", "rw"));
        refused(r, parent + " is a symbolic link");
        assertThat(Files.exists(tmp.resolve("elsewhere/uuid-1"))).as("nothing made through the link").isFalse();
    }

    @Test
    void unmountedNeedsNeitherDeviceNorType() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("idle"));
        ModuleResult r = apply("mount", "{\"path\":" + q(dir.toString()) + ",\"state\":\"unmounted\",\"fstabPath\":" + q(fstab.toString()) + "}");
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.OK);
        assertThat(r.changed()).isFalse();
    }

    @Test
    void checkModeWithAPathStillUnknownSaysItWouldMount() throws Exception {
        ModuleResult r = check("mount", args("/dev/rigger-no-such-disk1", tmp + "/uuid-" + Plan.KNOWN_AFTER_APPLY, "xfs", "rw,noatime"));
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).startsWith("would mount /dev/rigger-no-such-disk1 on " + tmp + "/uuid-" + Plan.KNOWN_AFTER_APPLY);
        assertThat(Files.readString(fstab)).isEqualTo(FSTAB);
    }
}
