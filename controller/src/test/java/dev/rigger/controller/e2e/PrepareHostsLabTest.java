package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.events.RecapCollector;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.lab.Lab;
import dev.rigger.lab.LabInventory;
import dev.rigger.lab.LabNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code rigger play playbooks/prepare-hosts.json} against three real lab nodes, checked from outside
 * the nodes with their own tools. The tests share one lab and run in order: check mode on fresh nodes,
 * the first run, the second run, facts, then the failure cases.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrepareHostsLabTest {
    private static final ObjectMapper JSON = LabRun.JSON;
    private static final List<String> ECS_DIRS = List.of("/ecs", "/host", "/host/data", "/host/files", "/data",
            "/var/log/vipr/emcvipr-object");

    private static LabRun cluster;
    private static Lab lab;
    private static LabInventory inventory;

    @BeforeAll
    static void labUp() throws IOException {
        cluster = new LabRun("e2e", 3, "prepare-hosts.json");
        lab = cluster.lab;
        inventory = cluster.inventory;
    }

    @AfterAll
    static void labDown() {
        if (cluster != null) {
            cluster.close();
        }
    }





    private static Map<String, String> snapshot(Node n) {
        Map<String, String> s = new TreeMap<>();
        s.put("files", n.sh("find /ecs /host /data /var/log/vipr -xdev 2>/dev/null | sort"));
        s.put("fstab", n.sh("cat /etc/fstab"));
        s.put("hosts", n.sh("cat /etc/hosts"));
        s.put("contents", n.sh("cat /host/data/network.json /host/data/id.json /host/data/agent.json /host/files/seeds | sha256sum"));
        return s;
    }

    /** The data disk's first 64 MiB and last MiB (both GPT headers, any filesystem's superblocks), and the files prep writes. */
    private static String diskAndFiles(Node n) {
        return n.sh("head -c 67108864 /dev/xvdf | sha256sum;"
                + " dd if=/dev/xvdf bs=1M skip=$(( $(blockdev --getsize64 /dev/xvdf) / 1048576 - 1 )) 2>/dev/null | sha256sum;"
                + " sha256sum /etc/fstab /etc/hosts");
    }

    @Test
    @Order(1)
    void checkModeOnFreshNodesReportsWhatWouldChangeAndChangesNothing() throws IOException {
        for (String n : cluster.nodeNames()) {
            assertThat(cluster.node(n).run("command -v java").exit()).as("lab nodes have no Java of their own").isNotZero();
        }

        Map<String, String> before = new TreeMap<>();
        for (String n : cluster.nodeNames()) {
            cluster.node(n).sh("touch /tmp/before-check");
            before.put(n, diskAndFiles(cluster.node(n)));
        }

        CliRun run = cluster.play("--check");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("PLAY RECAP");
        for (String n : cluster.nodeNames()) {
            Node node = cluster.node(n);
            assertThat(diskAndFiles(node)).as("%s: the data disk and the files are as they were", n).isEqualTo(before.get(n));
            // rigger's own runtime and agent (bootstrap, not a task), the login records sshd keeps, and temp files may change
            assertThat(node.sh("find / -xdev -newer /tmp/before-check -not -type d"
                    + " -not -path '/proc/*' -not -path '/sys/*' -not -path '/tmp/*' -not -path '/run/*'"
                    + " -not -path '/var/lib/rigger/*' -not -path '/var/log/*' -not -path '/dev/*' | sort"))
                    .as("%s: no file anywhere was written by the check run", n).isEmpty();
        }
        for (String n : cluster.nodeNames()) {
            assertThat(run.out()).containsPattern(n + "\\s+: ok=\\d+\\s+changed=[1-9]");
            Node node = cluster.node(n);
            assertThat(node.run("blkid -p /dev/xvdf").exit()).as("%s: the data disk still holds no signature", n).isEqualTo(2);
            assertThat(node.run("test -e /host/data/network.json").exit()).as("%s: no file was written", n).isNotZero();
            assertThat(node.run("test -e /ecs").exit()).as("%s: no directory was made", n).isNotZero();
            assertThat(node.sh("cat /etc/fstab")).doesNotContain("/ecs/");
        }
        List<JsonNode> connected = cluster.lastRunEvents().stream().filter(e -> "HostConnected".equals(e.path("event").asText())).toList();
        assertThat(connected).hasSize(3);
        assertThat(connected).allSatisfy(e -> assertThat(e.path("runtimeShipped").asBoolean())
                .as("a Java runtime was shipped to " + e.path("host").asText()).isTrue());
    }

    @Test
    @Order(2)
    void prepareHostsPreparesEveryNodeAsEcsExpects() throws IOException {
        CliRun run = cluster.play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> ips = inventory.nodes().stream().map(LabNode::address).toList();
        for (LabNode labNode : inventory.nodes()) {
            Node node = cluster.node(labNode.name());
            assertThat(node.sh("blkid -p -s TYPE -o value /dev/xvdf1")).as("XFS on the partition").isEqualTo("xfs");
            String partuuid = node.sh("blkid -p -s PART_ENTRY_UUID -o value /dev/xvdf1");
            String mountpoint = "/ecs/uuid-" + partuuid;
            assertThat(node.sh("findmnt -n -o SOURCE,FSTYPE " + mountpoint)).matches("/dev/xvdf1\\s+xfs");
            assertThat(node.sh("findmnt -n -o OPTIONS " + mountpoint)).contains("rw", "noatime", "inode64", "noquota");
            assertThat(node.sh("grep -c ' " + mountpoint + " ' /etc/fstab")).as("exactly one fstab line").isEqualTo("1");
            assertThat(node.sh("grep ' " + mountpoint + " ' /etc/fstab")).contains("xfs", "rw,noatime,attr2,inode64,noquota");
            for (String dir : ECS_DIRS) {
                assertThat(node.sh("stat -c '%F %u:%g %a' " + dir)).as(dir).isEqualTo("directory 444:444 755");
            }
            assertThat(node.sh("stat -c '%u:%g %a' " + mountpoint)).isEqualTo("444:444 755");
            assertThat(node.sh("stat -c '%F %u:%g' /data/is_community_edition")).isEqualTo("regular empty file 444:444");

            JsonNode network = JSON.readTree(node.sh("cat /host/data/network.json"));
            String iface = JSON.readTree(node.sh("ip -j -4 route show default")).get(0).path("dev").asText();
            String ip = JSON.readTree(node.sh("ip -j -4 addr show dev " + iface)).get(0).path("addr_info").get(0).path("local").asText();
            assertThat(ip).isEqualTo(labNode.address());
            assertThat(network.size()).as("network.json has the 13 keys of ECS rev1").isEqualTo(13);
            assertThat(network.path("data_interface_name").asText()).isEqualTo(iface);
            assertThat(network.path("private_interface_name").asText()).isEqualTo(iface);
            assertThat(network.path("data_ip").asText()).isEqualTo(ip);
            assertThat(network.path("mgmt_ip").asText()).isEqualTo(ip);
            assertThat(network.path("hostname").asText()).isEqualTo(node.sh("hostname"));
            assertThat(JSON.readTree(node.sh("cat /host/data/id.json")).path("agent_id").asText()).matches("[0-9a-f-]{36}");
            assertThat(JSON.readTree(node.sh("cat /host/data/agent.json")).path("endpoint").asText())
                    .isEqualTo("https://" + labNode.name() + ".ecs.lab:9240");
            assertThat(node.sh("cat /host/files/seeds")).isEqualTo(String.join(",", ips));
            for (LabNode other : inventory.nodes()) {
                assertThat(node.sh("getent hosts " + other.name()).split("\\s+")[0])
                        .as("%s resolves %s", labNode.name(), other.name()).isEqualTo(other.address());
                assertThat(node.sh("getent hosts " + other.name() + ".ecs.lab").split("\\s+")[0]).isEqualTo(other.address());
            }
        }
    }

    @Test
    @Order(3)
    void aSecondRunChangesNothingAndCreatesNothing() throws IOException {
        Map<String, Map<String, String>> before = new TreeMap<>();
        cluster.nodeNames().forEach(n -> before.put(n, snapshot(cluster.node(n))));

        CliRun run = cluster.play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        for (String n : cluster.nodeNames()) {
            assertThat(run.out()).containsPattern(n + "\\s+: ok=\\d+\\s+changed=0\\s+unreachable=0\\s+failed=0");
            assertThat(snapshot(cluster.node(n))).as("%s is exactly as before", n).isEqualTo(before.get(n));
        }
        List<JsonNode> finished = cluster.lastRunEvents().stream().filter(e -> "TaskFinished".equals(e.path("event").asText())).toList();
        assertThat(finished).isNotEmpty();
        assertThat(finished).allSatisfy(e -> assertThat(e.path("result").path("changed").asBoolean())
                .as(e.path("host").asText() + " / " + e.path("task").asText()).isFalse());
        List<JsonNode> connected = cluster.lastRunEvents().stream().filter(e -> "HostConnected".equals(e.path("event").asText())).toList();
        assertThat(connected).allSatisfy(e -> assertThat(e.path("bytesShipped").asLong())
                .as("nothing is shipped twice to " + e.path("host").asText()).isZero());

        // the run's log alone rebuilds the recap the CLI printed
        RecapCollector replay = new RecapCollector();
        for (JsonNode e : cluster.lastRunEvents()) {
            replay.on(JSON.treeToValue(e, RunEvent.class));
        }
        replay.recap().forEach((host, r) -> assertThat(run.out()).containsPattern(host + "\\s+: ok=" + r.ok()
                + "\\s+changed=" + r.changed() + "\\s+unreachable=" + r.unreachable() + "\\s+failed=" + r.failed()
                + "\\s+skipped=" + r.skipped()));
    }

    @Test
    @Order(4)
    void factsAgreeWithWhatTheNodeItselfSays() throws IOException {
        CliRun run = CliRun.of("facts", "node1", "--json", "--state", cluster.stateDir.toString(), "--lab", cluster.name);

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode facts = JSON.readTree(run.out());
        Node node = cluster.node("node1");
        long memKb = Long.parseLong(node.sh("awk '/^MemTotal:/ {print $2}' /proc/meminfo"));
        assertThat(facts.path("memTotalBytes").asLong()).isEqualTo(memKb * 1024);
        assertThat(facts.path("cpuCount").asInt()).isEqualTo(Integer.parseInt(node.sh("nproc")));
        assertThat(facts.path("hostname").asText()).isEqualTo(node.sh("hostname"));
        List<String> ipv4 = new ArrayList<>();
        for (JsonNode nic : JSON.readTree(node.sh("ip -j addr"))) {
            for (JsonNode a : nic.path("addr_info")) {
                if ("inet".equals(a.path("family").asText())) {
                    ipv4.add(a.path("local").asText());
                }
            }
        }
        List<String> reported = new ArrayList<>();
        facts.path("interfaces").forEach(n -> n.path("ipv4").forEach(a -> reported.add(a.path("address").asText())));
        assertThat(reported).containsExactlyInAnyOrderElementsOf(ipv4);
        JsonNode xvdf = null;
        for (JsonNode d : facts.path("blockDevices")) {
            if ("xvdf".equals(d.path("name").asText())) {
                xvdf = d;
            }
            String sysName = node.sh("basename $(readlink -f /sys/dev/block/" + d.path("majMin").asText() + ")");
            long sectors = Long.parseLong(node.sh("cat /sys/dev/block/" + d.path("majMin").asText() + "/size"));
            assertThat(d.path("sizeBytes").asLong()).as("size of %s (%s)", d.path("name").asText(), sysName)
                    .isEqualTo(sectors * 512);
        }
        assertThat(xvdf).as("the data disk is among the block devices").isNotNull();
        assertThat(xvdf.path("sizeBytes").asLong()).isEqualTo(Long.parseLong(node.sh("blockdev --getsize64 /dev/xvdf")));
    }

    @Test
    @Order(5)
    void aDiskThatAlreadyHoldsAFilesystemIsRefusedAndItsDataKept() {
        lab.replaceDisk("node3");
        Node node3 = cluster.node("node3");
        node3.sh("mkfs.ext4 -q /dev/xvdf && mkdir -p /mnt/old && mount /dev/xvdf /mnt/old"
                + " && head -c 1048576 /dev/urandom > /mnt/old/precious && umount /mnt/old");
        String checksum = node3.sh("mount /dev/xvdf /mnt/old && sha256sum /mnt/old/precious; umount /mnt/old");

        CliRun run = cluster.play();

        assertThat(run.exitCode()).as("a failed host makes the run fail").isEqualTo(1);
        assertThat(run.out()).containsPattern("failed: \\[node3\\].*/dev/xvdf.*ext4");
        assertThat(run.out()).containsPattern("node1\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=0");
        assertThat(run.out()).containsPattern("node2\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=0");
        assertThat(node3.sh("blkid -p -s TYPE -o value /dev/xvdf")).isEqualTo("ext4");
        assertThat(node3.sh("mount /dev/xvdf /mnt/old && sha256sum /mnt/old/precious; umount /mnt/old"))
                .as("the file on the refused disk is intact").isEqualTo(checksum);
    }

    @Test
    @Order(6)
    void hostsShowsTheFailedNodeAndRetryFailedTouchesItAlone() throws IOException {
        CliRun hosts = CliRun.of("hosts", "--state", cluster.stateDir.toString(), "--lab", cluster.name);

        assertThat(hosts.exitCode()).as(hosts.err()).isZero();
        assertThat(hosts.out()).containsPattern("node3\\s+\\S+\\s+\\S+\\s+failed\\s+.*GPT label and one partition");
        assertThat(hosts.out()).containsPattern("node1\\s+\\S+\\s+\\S+\\s+ok\\s");

        CliRun retry = cluster.play("--retry-failed");

        assertThat(retry.exitCode()).as("node3's disk still refuses").isEqualTo(1);
        List<JsonNode> started = cluster.lastRunEvents("TaskStarted");
        assertThat(started).isNotEmpty();
        assertThat(started).allSatisfy(e -> assertThat(e.path("host").asText()).isEqualTo("node3"));
    }

    @Test
    @Order(7)
    void anUnreachableHostIsReportedWhileTheOthersCompleteAndItsFactsComeFromTheCache() throws IOException {
        lab.stopNode("node2");
        try {
            CliRun run = cluster.play("--limit", "node1:node2");

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.out()).containsPattern("node2\\s+: ok=0\\s+changed=0\\s+unreachable=1");
            assertThat(run.out()).containsPattern("node1\\s+: ok=\\d+\\s+changed=0\\s+unreachable=0\\s+failed=0");

            CliRun facts = CliRun.of("facts", "node2", "--refresh", "--json", "--state", cluster.stateDir.toString(), "--lab", cluster.name);
            assertThat(facts.exitCode()).as("unreachable, but answered from the cache").isEqualTo(3);
            assertThat(facts.err()).contains("cached").containsPattern("gathered \\S+, \\d+ min ago");
            assertThat(JSON.readTree(facts.out()).path("hostname").asText()).isEqualTo("node2");
        } finally {
            lab.startNode("node2");
        }
    }

    @Test
    @Order(8)
    void aPackageThatCannotBeInstalledFailsThatHostNamingItWhileTheOthersComplete() throws IOException {
        // extra vars are data, so node2's own list comes from its inventory vars (they override the playbook's)
        ObjectNode hosts = (ObjectNode) JSON.readTree(cluster.stateDir.resolve("lab").resolve(cluster.name).resolve("inventory.json").toFile());
        ((ObjectNode) hosts.path("hosts").path("node2")).putObject("vars").putArray("packages").add("rigger-no-such-package");
        Path inventoryFile = cluster.stateDir.resolve("no-such-package-inventory.json");
        JSON.writeValue(inventoryFile.toFile(), hosts);

        CliRun run = cluster.play("--limit", "node1:node2", "--inventory", inventoryFile.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).containsPattern("failed: \\[node2\\].*rigger-no-such-package.*Unable to locate package");
        assertThat(run.out()).containsPattern("node1\\s+: ok=\\d+\\s+changed=0\\s+unreachable=0\\s+failed=0");
        assertThat(run.out()).containsPattern("node2\\s+: ok=0\\s+changed=0\\s+unreachable=0\\s+failed=1");
    }

    @Test
    @Order(9)
    void theRecapRebuiltFromTheRunLogIsTheOneTheCliPrinted() throws IOException {
        CliRun run = cluster.play();
        String runId = cluster.lastRunEvents("RunStarted").get(0).path("runId").asText();

        CliRun replay = CliRun.of("runs", runId, "--state", cluster.stateDir.toString());

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(recap(run.out())).as("a recap with failures, to compare something").contains("failed=1");
        assertThat(recap(replay.out())).isEqualTo(recap(run.out()));
        assertThat(CliRun.of("runs", "--state", cluster.stateDir.toString()).out())
                .containsPattern(runId + "\\s+failed\\s+no\\s+Prepare ECS hosts");
    }

    @Test
    @Order(10)
    void playWithJsonPrintsEveryEventAsOneJsonObjectALine() throws IOException {
        CliRun run = cluster.play("--json", "--limit", "node1");

        List<JsonNode> events = new ArrayList<>();
        for (String line : run.out().strip().split("\n")) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).extracting(e -> e.path("event").asText()).first().isEqualTo("RunStarted");
        assertThat(events).extracting(e -> e.path("event").asText()).last().isEqualTo("RunFinished");
        assertThat(events).hasSameSizeAs(cluster.lastRunEvents());
        assertThat(events.get(events.size() - 1).path("recap").path("node1").path("failed").asInt()).isZero();
    }

    @Test
    @Order(11)
    void aNodeWhoseHostKeyChangedIsRefusedNamingItAndBothFingerprintsEvenWhenTrustingNewHosts() {
        Node node1 = cluster.node("node1");
        String fingerprints = "for k in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf $k | awk '{print $2}'; done";
        List<String> recorded = List.of(node1.sh(fingerprints).split("\\s+"));
        node1.sh("rm -f /etc/ssh/ssh_host_* && ssh-keygen -q -A");
        List<String> offered = List.of(node1.sh(fingerprints).split("\\s+"));
        lab.stopNode("node1");
        lab.startNode("node1");

        for (String[] args : new String[][] {{"--limit", "node1"}, {"--limit", "node1", "--trust-new-hosts"}}) {
            CliRun run = cluster.play(args);

            assertThat(run.exitCode()).as("unreachable, with " + String.join(" ", args)).isEqualTo(3);
            assertThat(run.out()).containsPattern("unreachable: \\[node1\\].*does not match the recorded key");
            assertThat(recorded).as("the message names the recorded key").anyMatch(run.out()::contains);
            assertThat(offered).as("and the offered one").anyMatch(run.out()::contains);
            assertThat(run.out()).containsPattern("node1\\s+: ok=0\\s+changed=0\\s+unreachable=1");
        }
        assertThat(recorded).doesNotContainAnyElementsOf(offered);
    }

    /** The PLAY RECAP block of a run's console output. */
    private static String recap(String out) {
        int at = out.lastIndexOf("PLAY RECAP");
        assertThat(at).as("a PLAY RECAP in:%n%s", out).isNotNegative();
        return out.substring(at).strip();
    }
}
