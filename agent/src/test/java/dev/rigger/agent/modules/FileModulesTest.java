package dev.rigger.agent.modules;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.check;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.modules.step.Owners;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.agent.testing.Sh;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** file and copy in a temp directory. */
class FileModulesTest {
    @TempDir
    Path tmp;

    @Test
    void directoryIsCreatedWithOwnerAndModeAndThenLeftAlone() throws Exception {
        Prerequisites.requireRoot();
        Path dir = tmp.resolve("ecs/host/data");
        String args = "{\"path\":" + q(dir.toString()) + ",\"state\":\"directory\",\"owner\":444,\"group\":444,\"mode\":\"0755\"}";
        ModuleResult first = apply("file", args);
        assertThat(first.status()).as(first.msg()).isEqualTo(Status.CHANGED);
        assertThat(Owners.ownerOf(dir)).isEqualTo("444");
        assertThat(Owners.groupOf(dir)).isEqualTo("444");
        assertThat(Owners.mode(dir)).isEqualTo(0755);
        assertThat(first.data()).containsEntry("owner", "444").containsEntry("mode", "0755");
        assertThat(apply("file", args).changed()).isFalse();
    }

    @Test
    void recurseFixesOwnersBelowTheDirectory() throws Exception {
        Prerequisites.requireRoot();
        Path dir = Files.createDirectories(tmp.resolve("ecs"));
        Path inner = Files.writeString(dir.resolve("0000"), "bin");
        String args = "{\"path\":" + q(dir.toString()) + ",\"state\":\"directory\",\"owner\":444,\"recurse\":true}";
        assertThat(apply("file", args).changed()).isTrue();
        assertThat(Owners.ownerOf(inner)).isEqualTo("444");
        assertThat(apply("file", args).changed()).isFalse();
    }

    @Test
    void touchOnlyCreatesAndNeverBumpsTimes() throws Exception {
        Path marker = tmp.resolve("is_community_edition");
        String args = "{\"path\":" + q(marker.toString()) + ",\"state\":\"touch\",\"mode\":\"0644\"}";
        assertThat(apply("file", args).changed()).isTrue();
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(marker, old);
        ModuleResult again = apply("file", args);
        assertThat(again.changed()).isFalse();
        assertThat(Files.getLastModifiedTime(marker)).isEqualTo(old);
    }

    @Test
    void linkAndAbsentConverge() throws Exception {
        Path link = tmp.resolve("grep");
        String args = "{\"path\":" + q(link.toString()) + ",\"state\":\"link\",\"src\":\"/bin/grep\"}";
        assertThat(apply("file", args).changed()).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/bin/grep"));
        assertThat(apply("file", args).changed()).isFalse();
        String absent = "{\"path\":" + q(link.toString()) + ",\"state\":\"absent\"}";
        assertThat(apply("file", absent).changed()).isTrue();
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(apply("file", absent).changed()).isFalse();
    }

    @Test
    void fileStateWantsAnExistingFileAndNamesThePath() {
        ModuleResult r = apply("file", "{\"path\":" + q(tmp.resolve("nope").toString()) + "}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(tmp.resolve("nope").toString()).contains("does not exist");
    }

    @Test
    void argumentErrorsNameTheArgument() {
        assertThat(apply("file", "{}").msg()).isEqualTo("args.path: required");
        assertThat(apply("file", "{\"path\":\"/x\",\"mode\":\"rwx\"}").msg()).startsWith("args.mode: expected");
        assertThat(apply("file", "{\"path\":\"/x\",\"state\":\"dir\"}").msg()).startsWith("args.state: expected one of");
        assertThat(apply("partition", "{}").msg()).isEqualTo("args.device: required");
        assertThat(apply("partition", "{\"device\":\"/dev/x\",\"force\":\"yes\"}").msg())
                .isEqualTo("args.force: expected true, false or \"held\", got \"yes\"");
        assertThat(apply("nosuch", "{}").msg()).contains("unknown module").contains("partition");
    }

    @Test
    void copyWritesContentAtomicallyWithDiffAndIsThenUpToDate() throws Exception {
        Path dest = tmp.resolve("seeds");
        String args = "{\"dest\":" + q(dest.toString()) + ",\"content\":\"172.30.0.11,172.30.0.12\",\"mode\":\"0640\"}";
        ModuleResult first = apply("copy", args);
        assertThat(first.status()).as(first.msg()).isEqualTo(Status.CHANGED);
        assertThat(Files.readString(dest)).isEqualTo("172.30.0.11,172.30.0.12");
        assertThat(Owners.mode(dest)).isEqualTo(0640);
        assertThat(first.diff().after()).isEqualTo("172.30.0.11,172.30.0.12");
        assertThat(first.data().get("sha256")).isEqualTo(dev.rigger.agent.testing.Sh.ok("sha256sum", dest.toString()).split(" ")[0]);
        assertThat(apply("copy", args).changed()).isFalse();
        assertThat(Files.list(tmp).count()).as("no temp file left behind").isEqualTo(1);
    }

    @Test
    void copyWritesJsonCompactWithoutATrailingNewline() throws Exception {
        Path dest = tmp.resolve("agent.json");
        apply("copy", "{\"dest\":" + q(dest.toString()) + ",\"json\":{\"endpoint\":\"https://node1:9240\",\"n\":[1,2]}}");
        assertThat(Files.readString(dest)).isEqualTo("{\"endpoint\":\"https://node1:9240\",\"n\":[1,2]}");
    }

    @Test
    void copyWithoutForceOnlyCreatesAMissingFile() throws Exception {
        Path dest = Files.writeString(tmp.resolve("id.json"), "{\"agent_id\":\"first\"}");
        ModuleResult r = apply("copy", "{\"dest\":" + q(dest.toString()) + ",\"content\":\"second\",\"force\":false}");
        assertThat(r.changed()).isFalse();
        assertThat(Files.readString(dest)).isEqualTo("{\"agent_id\":\"first\"}");
    }

    @Test
    void copyInCheckModeShowsTheDiffAndWritesNothing() throws Exception {
        Path dest = Files.writeString(tmp.resolve("conf"), "old\n");
        ModuleResult r = check("copy", "{\"dest\":" + q(dest.toString()) + ",\"content\":\"new\\n\"}");
        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(r.diff().before()).isEqualTo("old\n");
        assertThat(r.diff().after()).isEqualTo("new\n");
        assertThat(Files.readString(dest)).isEqualTo("old\n");
    }

    @Test
    void copyNeedsExactlyOneOfContentAndJson() {
        assertThat(apply("copy", "{\"dest\":\"/tmp/x\"}").msg()).contains("exactly one of content or json");
        assertThat(apply("copy", "{\"dest\":\"/tmp/x\",\"content\":\"a\",\"json\":1}").msg()).contains("exactly one");
    }

    @Test
    void copyOntoAFullFilesystemFailsNamingThePathAndTheErrorAndLeavesTheOldFileWhole() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("mount", "umount");
        Path dir = Files.createDirectories(tmp.resolve("full"));
        Sh.ok("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.toString());
        try {
            Path dest = Files.writeString(dir.resolve("network.json"), "{\"old\":true}");
            // fills the tmpfs to its last page; head fails with ENOSPC by design
            Sh.any("sh", "-c", "head -c 1048576 /dev/zero > " + dir.resolve("filler"));

            ModuleResult r = apply("copy", "{\"dest\":" + q(dest.toString()) + ",\"content\":\"" + "x".repeat(8192) + "\"}");

            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.msg()).contains(dest.toString(), "No space left on device", "left as it was")
                    .doesNotContain("java.io");
            assertThat(Files.readString(dest)).as("the old content, whole").isEqualTo("{\"old\":true}");
            try (var left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no temp file left behind")
                        .containsExactlyInAnyOrder("network.json", "filler");
            }
        } finally {
            Sh.ok("umount", dir.toString());
        }
    }
}
