package dev.rigger.agent.modules;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hosts on a temp hosts file, command in a temp directory. */
class HostsAndCommandModulesTest {
    static final String DOCKER_HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n172.30.0.11\tnode1\n";
    static final String THREE_NODES_BLOCK = "# BEGIN rigger managed hosts\n"
            + "172.30.0.11 node1.ecs.lab node1\n"
            + "172.30.0.12 node2.ecs.lab node2\n"
            + "172.30.0.13 node3.ecs.lab node3\n"
            + "# END rigger managed hosts\n";

    @TempDir
    Path tmp;

    @Test
    void hostsEntriesAddedOneAtATimeConvergeAndASecondRoundChangesNothing() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), DOCKER_HOSTS);
        String[] entries = {
            "{\"ip\":\"172.30.0.11\",\"names\":[\"node1.ecs.lab\",\"node1\"]}",
            "{\"ip\":\"172.30.0.12\",\"names\":[\"node2.ecs.lab\",\"node2\"]}",
            "{\"ip\":\"172.30.0.13\",\"names\":[\"node3.ecs.lab\",\"node3\"]}"};
        for (String e : entries) {
            assertThat(apply("hosts", "{\"path\":" + q(hosts.toString()) + ",\"entries\":[" + e + "]}").changed()).isTrue();
        }
        for (String e : entries) {
            assertThat(apply("hosts", "{\"path\":" + q(hosts.toString()) + ",\"entries\":[" + e + "]}").changed())
                    .as("second round").isFalse();
        }
        assertThat(Files.readString(hosts)).isEqualTo(DOCKER_HOSTS + THREE_NODES_BLOCK);
    }

    @Test
    void hostsLinesInTheHostsFilesFormatGiveTheSameBlockAsEntriesOneAtATime() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), DOCKER_HOSTS);
        String args = "{\"path\":" + q(hosts.toString()) + ",\"lines\":"
                + q("172.30.0.11 node1.ecs.lab node1\n# a comment\n\n172.30.0.12\tnode2.ecs.lab  node2\n172.30.0.13 node3.ecs.lab node3\n") + "}";
        assertThat(apply("hosts", args).changed()).isTrue();
        assertThat(apply("hosts", args).changed()).as("second run").isFalse();
        assertThat(Files.readString(hosts)).isEqualTo(DOCKER_HOSTS + THREE_NODES_BLOCK);
    }

    @Test
    void hostsLinesWithoutANameOrWithABadAddressFailNamingTheLineAndChangeNothing() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), DOCKER_HOSTS);
        ModuleResult noName = apply("hosts", "{\"path\":" + q(hosts.toString()) + ",\"lines\":\"10.0.0.1 a\\n10.0.0.2\\n\"}");
        assertThat(noName.status()).isEqualTo(Status.FAILED);
        assertThat(noName.msg()).contains("args.lines, line 2").contains("10.0.0.2");
        ModuleResult badIp = apply("hosts", "{\"path\":" + q(hosts.toString()) + ",\"lines\":\"node1 node1.ecs.lab\"}");
        assertThat(badIp.status()).isEqualTo(Status.FAILED);
        assertThat(badIp.msg()).contains("args.lines, line 1 (\"node1 node1.ecs.lab\"): expected an IP address, got \"node1\"");
        assertThat(Files.readString(hosts)).isEqualTo(DOCKER_HOSTS);
    }

    @Test
    void hostsUpsertsByNameSoAMovedHostKeepsOneLine() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), DOCKER_HOSTS);
        apply("hosts", "{\"path\":" + q(hosts.toString()) + ",\"entries\":[{\"ip\":\"10.0.0.1\",\"names\":[\"node1\"]},{\"ip\":\"10.0.0.2\",\"names\":[\"node2\"]}]}");
        ModuleResult moved = apply("hosts", "{\"path\":" + q(hosts.toString()) + ",\"entries\":[{\"ip\":\"10.0.0.9\",\"names\":[\"node1\"]}]}");
        assertThat(moved.changed()).isTrue();
        assertThat(moved.diff()).isNotNull();
        assertThat(Files.readString(hosts)).contains("# BEGIN rigger managed hosts\n10.0.0.9 node1\n10.0.0.2 node2\n# END")
                .doesNotContain("10.0.0.1 ");
    }

    @Test
    void hostsAbsentRemovesEntriesAndWithNoEntriesTheWholeBlock() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), DOCKER_HOSTS);
        String p = q(hosts.toString());
        apply("hosts", "{\"path\":" + p + ",\"entries\":[{\"ip\":\"10.0.0.1\",\"names\":[\"a\"]},{\"ip\":\"10.0.0.2\",\"names\":[\"b\"]}]}");
        assertThat(apply("hosts", "{\"path\":" + p + ",\"state\":\"absent\",\"entries\":[{\"ip\":\"10.0.0.1\",\"names\":[\"a\"]}]}").changed()).isTrue();
        assertThat(Files.readString(hosts)).doesNotContain("10.0.0.1").contains("10.0.0.2 b");
        assertThat(apply("hosts", "{\"path\":" + p + ",\"state\":\"absent\",\"lines\":\"\"}").changed())
                .as("lines rendered from an empty group remove nothing").isFalse();
        assertThat(Files.readString(hosts)).contains("10.0.0.2 b");
        assertThat(apply("hosts", "{\"path\":" + p + ",\"state\":\"absent\",\"entries\":[]}").changed()).isTrue();
        assertThat(Files.readString(hosts)).isEqualTo(DOCKER_HOSTS);
    }

    @Test
    void hostsOnABindMountedFileIsWrittenInPlace() throws Exception {
        dev.rigger.agent.testing.Prerequisites.requireRoot();
        Path hosts = Files.writeString(tmp.resolve("hosts"), DOCKER_HOSTS);
        Path source = Files.writeString(tmp.resolve("container-hosts"), DOCKER_HOSTS);
        dev.rigger.agent.testing.Sh.ok("mount", "--bind", source.toString(), hosts.toString());
        try {
            // as in a container: rename over a mountpoint fails with EBUSY
            ModuleResult r = apply("hosts", "{\"path\":" + q(hosts.toString())
                    + ",\"entries\":[{\"ip\":\"172.30.0.12\",\"names\":[\"node2\"]}]}");
            assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
            assertThat(r.steps()).singleElement().satisfies(s -> assertThat(s.stdout()).contains("in place"));
            assertThat(Files.readString(source)).as("the file behind the bind mount").contains("172.30.0.12 node2");
        } finally {
            dev.rigger.agent.testing.Sh.ok("umount", hosts.toString());
        }
    }

    @Test
    void hostsNamesTheBadEntry() {
        ModuleResult r = apply("hosts", "{\"path\":\"/tmp/h\",\"entries\":[{\"ip\":\"10.0.0.1\",\"names\":[]}]}");
        assertThat(r.msg()).startsWith("args.entries[0].names:");
    }

    @Test
    void commandRunsAndReportsItsOutputAndExitCode() {
        ModuleResult r = apply("command", "{\"argv\":[\"sh\",\"-c\",\"echo out; echo err >&2\"]}");
        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(r.data()).containsEntry("rc", 0).containsEntry("stdout", "out\n").containsEntry("stderr", "err\n");
    }

    @Test
    void commandFailsOnANonZeroExitAndStillReportsOutput() {
        ModuleResult r = apply("command", "{\"cmd\":\"echo half; exit 3\"}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains("exited with 3");
        assertThat(r.data()).containsEntry("rc", 3).containsEntry("stdout", "half\n");
    }

    @Test
    void commandGuardsSkipWithOkAndSayWhy() throws Exception {
        Path made = tmp.resolve("made");
        String args = "{\"argv\":[\"touch\"," + q(made.toString()) + "],\"creates\":" + q(made.toString()) + "}";
        assertThat(apply("command", args).changed()).isTrue();
        ModuleResult again = apply("command", args);
        assertThat(again.status()).isEqualTo(Status.OK);
        assertThat(again.msg()).isEqualTo(made + " exists");
        ModuleResult removes = apply("command", "{\"argv\":[\"false\"],\"removes\":" + q(tmp.resolve("gone").toString()) + "}");
        assertThat(removes.status()).isEqualTo(Status.OK);
    }

    @Test
    void commandUsesChdirEnvAndStdin() {
        ModuleResult r = apply("command", "{\"cmd\":\"pwd; echo $GREETING; cat\",\"chdir\":" + q(tmp.toString())
                + ",\"env\":{\"GREETING\":\"hi\"},\"stdin\":\"from stdin\"}");
        assertThat(r.data().get("stdout")).isEqualTo(tmp + "\nhi\nfrom stdin\n");
    }

    @Test
    void packageSeesAnInstalledPackageAsOk() {
        ModuleResult r = apply("package", "{\"name\":[\"coreutils\",\"util-linux\"]}");
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.OK);
        assertThat(apply("package", "{\"name\":\"Bad Name\"}").msg()).startsWith("args.name:");
    }

    @Test
    void packageInCheckModeWouldInstallAMissingPackage() {
        ModuleResult r = dev.rigger.agent.testing.Modules.check("package", "{\"name\":\"rigger-no-such-package\"}");
        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).isEqualTo("would install rigger-no-such-package");
    }
}
