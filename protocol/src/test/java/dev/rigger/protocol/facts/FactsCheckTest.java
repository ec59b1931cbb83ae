package dev.rigger.protocol.facts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.protocol.ProtocolJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every fact is checked against its shape, and a bad one is named by its JSON pointer with its value quoted. */
class FactsCheckTest {
    /** Maven runs the tests in the module's directory; the docs are beside the modules. */
    private static final Path DOC = Path.of("..", "docs", "facts.md");

    @Test
    void theFactsOfTheDocumentedExampleHostPass() throws Exception {
        assertThat(FactsCheck.problems(documentedExample())).isEmpty();
    }

    @Test
    void aNewlineInTheDefaultAddressIsNamedWithItsPointerAndItsValueEscaped() throws Exception {
        ObjectNode facts = documentedExampleTree();
        facts.with("defaultIpv4").put("address", "10.0.0.1\n6.6.6.6 node1");

        List<FactsCheck.Problem> problems = FactsCheck.problems(read(facts));

        assertThat(FactsCheck.describe(problems))
                .isEqualTo("/defaultIpv4/address: expected an IPv4 address, got \"10.0.0.1\\n6.6.6.6 node1\"");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "/defaultIpv4/address|1.2.3.4,6.6.6.6",
            "/defaultIpv4/address|localhost",
            "/defaultIpv4/gateway|10.0.0.1 #",
            "/defaultIpv4/interfaceName|eth0 6.6.6.6",
            "/hostname|vm\\n6.6.6.6 node1",
            "/hostname|node1,6.6.6.6",
            "/fqdn|vm.lab\\u202e",
            "/interfaces/1/name|eth0:evil",
            "/interfaces/1/mac|02:fc:00:00:00:01\\n",
            "/interfaces/1/ipv4/0/address|192.0.2.2 node1",
            "/interfaces/1/ipv6/0/address|fd00::2,6.6.6.6",
            "/blockDevices/0/path|/dev/../etc/shadow",
            "/blockDevices/0/name|vda\\nsdb",
            "/blockDevices/0/majMin|254:0 x",
            "/blockDevices/0/mountpoints/0|/\\n/etc",
            "/mounts/0/mountpoint|/mnt/x\\n/dev/sda / xfs",
            "/mounts/0/fsType|ext4 rw",
            "/mounts/0/options/0|rw,suid",
            "/mounts/0/device|/dev/vda\\u001b[2J",
            "/os/family|debian\\n",
            "/os/name|Debian\\u2066 GNU",
            "/machineId|3d1219c7 c4c5",
            "/dns/nameservers/0|10.255.255.53 6.6.6.6",
            "/dns/search/0|lab,evil",
            "/collectedAt|yesterday",
    })
    void aHostileValueInAnyCheckedFieldIsRefusedAndNamed(String pointer, String escaped) throws Exception {
        String hostile = unescape(escaped);
        ObjectNode facts = documentedExampleTree();
        set(facts, pointer, hostile);

        List<FactsCheck.Problem> problems = FactsCheck.problems(read(facts));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).pointer()).isEqualTo(pointer);
        assertThat(problems.get(0).value()).isEqualTo(FactShapes.quote(hostile));
        assertThat(problems.get(0).toString()).doesNotContain("\n").doesNotContain("\u202e").doesNotContain("\u001b");
    }

    @Test
    void negativeSizesAndOutOfRangePrefixesAreRefused() throws Exception {
        ObjectNode facts = documentedExampleTree();
        facts.put("memTotalBytes", -1);
        ((ObjectNode) facts.withArray("blockDevices").get(0)).put("sizeBytes", -4096);
        ((ObjectNode) facts.withArray("mounts").get(0)).put("availableBytes", -1);
        ((ObjectNode) facts.withArray("interfaces").get(1).withArray("ipv4").get(0)).put("prefix", 33);
        facts.with("collectors").with("os").put("tookMs", -5);

        assertThat(FactsCheck.problems(read(facts))).extracting(FactsCheck.Problem::pointer).containsExactly(
                "/memTotalBytes", "/blockDevices/0/sizeBytes", "/mounts/0/availableBytes",
                "/interfaces/1/ipv4/0/prefix", "/collectors/os/tookMs");
    }

    @Test
    void aCollectorNameOrStatusOutsideTheKnownShapeIsRefused() throws Exception {
        ObjectNode facts = documentedExampleTree();
        facts.with("collectors").with("os").put("status", "ok\nfake");
        facts.with("collectors").putObject("a/b\nc").put("status", "ok");

        assertThat(FactsCheck.describe(FactsCheck.problems(read(facts))))
                .contains("/collectors/os/status: expected one of ok, partial, timedOut, failed, got \"ok\\nfake\"")
                .contains("/collectors: expected collector names of letters and digits, got \"a/b\\nc\"");
    }

    @Test
    void aHugeValueIsShownCutAndAFloodOfProblemsIsCapped() throws Exception {
        ObjectNode facts = documentedExampleTree();
        facts.put("cpuModel", "x".repeat(10_000_000));
        for (int i = 0; i < 1000; i++) {
            facts.with("dns").withArray("nameservers").add("6.6.6." + i + " x");
        }

        List<FactsCheck.Problem> problems = FactsCheck.problems(read(facts));

        assertThat(problems).hasSize(FactsCheck.MAX_PROBLEMS + 1);
        assertThat(problems.get(0).toString()).startsWith("/cpuModel: expected one line of text")
                .endsWith("... (10000000 characters)").hasSizeLessThan(200);
        assertThat(problems.get(FactsCheck.MAX_PROBLEMS).toString()).contains("more problems than the 20 above");
        assertThat(FactsCheck.describe(problems)).hasSizeLessThan(5000);
    }

    @Test
    void nullMeansNotGatheredAndPasses() {
        HostFacts bare = new HostFacts(null, null, null, 0, 0, null, null, null, null);
        assertThat(FactsCheck.problems(bare)).isEmpty();
        assertThat(FactsCheck.problems(null)).isEmpty();
        HostFacts nullElement = new HostFacts("h", "h", null, 1, 1, null, null,
                Arrays.asList((NetInterface) null), null);
        assertThat(FactsCheck.describe(FactsCheck.problems(nullElement))).isEqualTo("/interfaces/0: expected an interface, got null");
    }

    @Test
    void docsFactsMdSaysWhichShapeEachCheckedFieldHas() throws Exception {
        String doc = Files.readString(DOC);
        assertThat(doc).contains("## Checks on the controller");
        for (String shape : List.of("an IPv4 address", "a host name (RFC 1123)", "an interface name",
                "a canonical path under /dev/", "an absolute, canonical path", "a link-layer address", "one line of text")) {
            assertThat(doc).as("docs/facts.md describes the shape '" + shape + "'").contains(shape);
        }
    }

    private static HostFacts documentedExample() throws Exception {
        return read(documentedExampleTree());
    }

    /** The JSON example of docs/facts.md: facts an agent gathered on a real VM. */
    private static ObjectNode documentedExampleTree() throws Exception {
        Matcher m = Pattern.compile("## Example \\(schema version 2\\).*?```json\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        assertThat(m.find()).as("docs/facts.md has its example").isTrue();
        return (ObjectNode) ProtocolJson.MAPPER.readTree(m.group(1));
    }

    private static HostFacts read(JsonNode tree) throws Exception {
        return ProtocolJson.MAPPER.treeToValue(tree, HostFacts.class);
    }

    private static void set(ObjectNode root, String pointer, String value) {
        String[] parts = pointer.substring(1).split("/");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (parent.isArray()) {
            ArrayNode list = (ArrayNode) parent;
            int index = Integer.parseInt(last);
            if (index == list.size()) {
                list.add(value);
            } else {
                list.set(index, value);
            }
        } else {
            ((ObjectNode) parent).put(last, value);
        }
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && s.charAt(i + 1) == 'n') {
                b.append('\n');
                i++;
            } else if (c == '\\' && s.charAt(i + 1) == 'u') {
                b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
