package dev.rigger.agent.modules.step;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.check;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.agent.exec.OutputSink;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who can write a directory the agent changes plants links there: the agent refuses them (or follows
 * them only when the task says so) and never changes, reads or deletes what they point to.
 */
class SymlinkSafetyTest {
    private static final StepContext CTX = new StepContext(OutputSink.DISCARD, Instant.now().plusSeconds(60));

    @TempDir
    Path tmp;
    Path victim;
    Path data;

    @BeforeEach
    void aVictimFileAndAUserWritableDirectory() throws IOException {
        victim = Files.writeString(tmp.resolve("shadow"), "root:secret-hash:19000::::::\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        data = Files.createDirectories(tmp.resolve("host/data"));
        // as /host/data is 444's on a node: anyone but root may put names in it
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @Test
    void aSymlinkedCopyDestinationIsRefusedAndItsTargetUnchanged() throws Exception {
        Path dest = Files.createSymbolicLink(data.resolve("id.json"), victim);
        VictimState before = VictimState.of(victim);

        ModuleResult r = apply("copy", "{\"dest\":" + q(dest.toString()) + ",\"force\":false,\"owner\":444,\"group\":444,"
                + "\"mode\":\"0644\",\"json\":{\"agent_id\":\"x\"}}");

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(dest.toString(), "symbolic link to " + victim, "follow: true");
        assertThat(VictimState.of(victim)).isEqualTo(before);
        assertThat(Files.isSymbolicLink(dest)).isTrue();
    }

    @Test
    void copyWithFollowWritesThroughTheLinkAndKeepsTheLink() throws Exception {
        Path real = Files.writeString(tmp.resolve("real.json"), "old");
        Path dest = Files.createSymbolicLink(data.resolve("agent.json"), real);

        ModuleResult r = apply("copy", "{\"dest\":" + q(dest.toString()) + ",\"follow\":true,\"mode\":\"0640\",\"content\":\"new\"}");

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(Files.readString(real)).isEqualTo("new");
        assertThat(Owners.mode(real)).isEqualTo(0640);
        assertThat(Files.readSymbolicLink(dest)).isEqualTo(real);
        assertThat(apply("copy", "{\"dest\":" + q(dest.toString()) + ",\"follow\":true,\"mode\":\"0640\",\"content\":\"new\"}")
                .changed()).isFalse();
    }

    @Test
    void fileStatesOnALinkAreRefusedAndTheTargetKeepsItsMode() throws Exception {
        Path marker = Files.createSymbolicLink(data.resolve("is_community_edition"), victim);
        VictimState before = VictimState.of(victim);
        for (String state : new String[] {"file", "touch", "directory"}) {
            ModuleResult r = apply("file", "{\"path\":" + q(marker.toString()) + ",\"state\":\"" + state + "\",\"mode\":\"0755\"}");
            assertThat(r.status()).as(state).isEqualTo(Status.FAILED);
            assertThat(r.msg()).as(state).contains(marker.toString(), "symbolic link to " + victim);
        }
        assertThat(VictimState.of(victim)).isEqualTo(before);
    }

    @Test
    void fileWithFollowChangesTheLinksTarget() throws Exception {
        Path real = Files.writeString(tmp.resolve("real"), "x");
        Path link = Files.createSymbolicLink(data.resolve("marker"), real);

        ModuleResult r = apply("file", "{\"path\":" + q(link.toString()) + ",\"state\":\"file\",\"mode\":\"0751\",\"follow\":true}");

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(Owners.mode(real)).isEqualTo(0751);
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aLinkPlantedAfterPlanningIsRefusedByEveryStep() throws Exception {
        Path dest = Files.createSymbolicLink(data.resolve("network.json"), victim);
        VictimState before = VictimState.of(victim);

        for (NativeStep step : new NativeStep[] {new WriteFileStep(dest, "{}".getBytes(StandardCharsets.UTF_8)),
            new ChmodStep(dest, 0644, false), new ChownStep(dest, "444", "444", false), new ChmodStep(dest, 0644, true),
            new ChownStep(dest, "444", null, true), new MakeDirStep(dest)}) {
            assertThatThrownBy(() -> step.apply(CTX)).as(step.description()).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining(dest.toString()).hasMessageContaining("symbolic link to " + victim);
        }
        assertThat(new TouchStep(dest).apply(CTX).stdout()).isEqualTo("already there");
        assertThat(VictimState.of(victim)).isEqualTo(before);
        assertThat(Files.isSymbolicLink(dest)).isTrue();
    }

    @Test
    void theDescriptorsRefuseALinkEvenWithoutTheCheckBeforeThem() throws Exception {
        // what a link planted between the check and the change meets: the O_NOFOLLOW open itself fails
        Path dest = Files.createSymbolicLink(data.resolve("id.json"), victim);
        VictimState before = VictimState.of(victim);
        try (DirectoryWalk walk = DirectoryWalk.parentOf(dest)) {
            assertThatThrownBy(() -> DirectoryWalk.chmod(walk.directory(), walk.name(), 0644)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> DirectoryWalk.chown(walk.directory(), walk.name(), "444", "444")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> walk.setMode(walk.name(), 02755)).as("a mode with setgid").isInstanceOf(IOException.class);
            assertThatThrownBy(() -> walk.setMode(walk.name(), 0644)).hasMessage(dest + ": is a symbolic link to " + victim
                    + "; refusing to chmod through it");
            assertThatThrownBy(() -> walk.setOwner(walk.name(), "444", null)).hasMessageContaining(dest + ": is a symbolic link");
            assertThatThrownBy(() -> walk.directory().newByteChannel(walk.name(), Set.of(StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)).close()).isInstanceOf(IOException.class);
        }
        assertThat(VictimState.of(victim)).isEqualTo(before);
    }

    @Test
    void aHostsFileThatIsALinkIsRefusedInCheckModeAsWhenApplied() throws Exception {
        Path hosts = Files.createSymbolicLink(data.resolve("hosts"), victim);
        VictimState before = VictimState.of(victim);
        String args = "{\"path\":" + q(hosts.toString()) + ",\"lines\":\"10.0.0.1 node1\\n\"}";

        for (ModuleResult r : new ModuleResult[] {check("hosts", args), apply("hosts", args)}) {
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.msg()).contains(hosts.toString(), "symbolic link to " + victim).doesNotContain("secret-hash");
        }
        assertThat(VictimState.of(victim)).isEqualTo(before);
    }

    @Test
    void touchOnADanglingLinkDoesNotCreateItsTarget() throws Exception {
        Path target = tmp.resolve("etc-cron.d-job");
        Path link = Files.createSymbolicLink(data.resolve("marker"), target);

        new TouchStep(link).apply(CTX);

        assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aParentDirectorySwappedForALinkMidWayDoesNotRedirectTheWrite() throws Exception {
        Path sub = Files.createDirectories(data.resolve("sub"));
        Path elsewhere = Files.createDirectories(tmp.resolve("etc"));
        try (DirectoryWalk walk = DirectoryWalk.parentOf(sub.resolve("seeds"))) {
            // the user moves the directory away and puts a link to /etc in its place, after the walk opened it
            Files.move(sub, data.resolve("sub.old"));
            Files.createSymbolicLink(sub, elsewhere);

            FileWriter.write(walk, "10.0.0.1".getBytes(StandardCharsets.UTF_8));
            walk.setMode(walk.name(), 0600);
        }

        assertThat(elsewhere).isEmptyDirectory();
        assertThat(Files.readString(data.resolve("sub.old/seeds"))).isEqualTo("10.0.0.1");
        assertThat(Owners.mode(data.resolve("sub.old/seeds"))).isEqualTo(0600);
    }

    @Test
    void aLinkOnTheWayInAUserWritableDirectoryIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("etc"));
        Path link = Files.createSymbolicLink(data.resolve("files"), elsewhere);

        ModuleResult r = apply("copy", "{\"dest\":" + q(link.resolve("seeds").toString()) + ",\"content\":\"10.0.0.1\"}");

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(link.toString(), "symbolic link to " + elsewhere);
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void aLinkOnTheWayInADirectoryOnlyRootWritesIsFollowed() throws Exception {
        Prerequisites.requireRoot();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path real = Files.createDirectories(tmp.resolve("run"));
        Path link = Files.createSymbolicLink(data.resolve("run"), Path.of("../../run"));

        ModuleResult r = apply("copy", "{\"dest\":" + q(link.resolve("pid").toString()) + ",\"content\":\"42\"}");

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(Files.readString(real.resolve("pid"))).isEqualTo("42");
    }

    @Test
    void deleteNeverFollowsALink() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("keep"));
        Files.writeString(outside.resolve("precious"), "x");
        Path tree = Files.createDirectories(data.resolve("tree/deep"));
        Files.createSymbolicLink(tree.resolve("to-keep"), outside);
        Files.createSymbolicLink(data.resolve("tree/shadow"), victim);
        Path lonely = Files.createSymbolicLink(data.resolve("lonely"), outside);

        assertThat(apply("file", "{\"path\":" + q(data.resolve("tree").toString()) + ",\"state\":\"absent\"}").changed()).isTrue();
        assertThat(apply("file", "{\"path\":" + q(lonely.toString()) + ",\"state\":\"absent\"}").changed()).isTrue();

        assertThat(Files.exists(data.resolve("tree"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(lonely, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readString(outside.resolve("precious"))).isEqualTo("x");
        assertThat(Files.exists(victim)).isTrue();
    }

    @Test
    void recurseNeverChangesWhatALinkBelowPointsTo() throws Exception {
        Path tree = Files.createDirectories(data.resolve("ecs"));
        Files.writeString(tree.resolve("0000"), "bin");
        Files.createSymbolicLink(tree.resolve("0001"), victim);
        VictimState before = VictimState.of(victim);

        ModuleResult r = apply("file", "{\"path\":" + q(tree.toString()) + ",\"state\":\"directory\",\"mode\":\"0755\",\"recurse\":true}");

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(Owners.mode(tree.resolve("0000"))).isEqualTo(0755);
        assertThat(VictimState.of(victim)).isEqualTo(before);
    }

    @Test
    void aDiffNeverReadsALinksTarget() throws Exception {
        Path dest = Files.createSymbolicLink(data.resolve("id.json"), victim);
        VictimState before = VictimState.of(victim);

        ModuleResult r = check("copy", "{\"dest\":" + q(dest.toString()) + ",\"content\":\"new\"}");

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.diff()).isNull();
        assertThat(r.msg()).contains(dest.toString()).doesNotContain("secret-hash");
        assertThat(VictimState.of(victim)).isEqualTo(before);
    }

    @Test
    void theContentForADiffIsReadWithoutFollowingALinkPlantedAfterTheCheck() throws Exception {
        Path dest = Files.createSymbolicLink(data.resolve("id.json"), victim);
        try (DirectoryWalk walk = DirectoryWalk.parentOf(dest)) {
            assertThatThrownBy(walk::readOrNull).hasMessageContaining("symbolic link to " + victim)
                    .hasMessageNotContaining("secret-hash");
        }
    }

    /** What must not change: content, mode and owner. */
    record VictimState(String content, int mode, String owner) {
        static VictimState of(Path p) throws IOException {
            return new VictimState(Files.readString(p), Owners.mode(p), Owners.ownerOf(p));
        }
    }
}
