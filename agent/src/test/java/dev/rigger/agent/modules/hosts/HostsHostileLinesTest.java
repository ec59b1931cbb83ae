package dev.rigger.agent.modules.hosts;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lines rendered from another host's facts are text that host controls: a line whose address is not an
 * IP literal or whose names are not host names is refused, naming the line and what is wrong, and nothing
 * is written while any line is bad.
 */
class HostsHostileLinesTest {
    private static final String HOSTS = "127.0.0.1\tlocalhost\n172.30.0.11\tnode1\n";
    private static final String GOOD = "172.30.0.11 node1.ecs.lab node1\n";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "1.2.3.4,6.6.6.6 node2|line 2 (\"1.2.3.4,6.6.6.6 node2\"): expected an IP address, got \"1.2.3.4,6.6.6.6\"",
            "node2.evil node2|line 2 (\"node2.evil node2\"): expected an IP address, got \"node2.evil\"",
            "localhost node2|line 2 (\"localhost node2\"): expected an IP address, got \"localhost\"",
            "010.0.0.1 node2|line 2 (\"010.0.0.1 node2\"): expected an IP address, got \"010.0.0.1\"",
            "10.0.0.1 node2#x|line 2 (\"10.0.0.1 node2#x\"): expected host names (RFC 1123), got \"node2#x\"",
            "10.0.0.1 node2,node1|line 2 (\"10.0.0.1 node2,node1\"): expected host names (RFC 1123), got \"node2,node1\"",
            "10.0.0.1 node2 6.6.6.6|line 2 (\"10.0.0.1 node2 6.6.6.6\"): expected host names (RFC 1123), got \"6.6.6.6\"",
            "10.0.0.1 nöde2|line 2 (\"10.0.0.1 nöde2\"): expected host names (RFC 1123), got \"nöde2\"",
            "10.0.0.1 node2\u202e|line 2 (\"10.0.0.1 node2\\u202e\"): expected host names (RFC 1123), got \"node2\\u202e\"",
    })
    void aBadLineIsRefusedNamingItAndNothingIsWritten(String badLine, String expected) throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), HOSTS);

        ModuleResult r = apply("hosts", "{\"path\":" + q(hosts.toString()) + ",\"lines\":" + q(GOOD + badLine + "\n") + "}");

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).isEqualTo("args.lines, " + expected);
        assertThat(Files.readString(hosts)).isEqualTo(HOSTS);
    }

    @Test
    void anAddressThatSmugglesASecondLineCannotTakeAnotherHostsName() throws Exception {
        // what "{{ hostvars[h].facts.defaultIpv4.address }} {{ h }}" renders when node2 reports
        // "172.30.0.12 x\n6.6.6.6 node1.ecs.lab node1": every line has a good shape, but node1 is claimed twice
        Path hosts = Files.writeString(tmp.resolve("hosts"), HOSTS);
        String lines = GOOD + "172.30.0.12 x\n6.6.6.6 node1.ecs.lab node1 node2.ecs.lab node2\n";

        ModuleResult r = apply("hosts", "{\"path\":" + q(hosts.toString()) + ",\"lines\":" + q(lines) + "}");

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).isEqualTo("args.lines, line 3: the name node1.ecs.lab is already given to 172.30.0.11"
                + " by args.lines, line 1");
        assertThat(Files.readString(hosts)).isEqualTo(HOSTS);
    }

    @Test
    void anEntryWithABadAddressOrNameIsRefusedLikeALine() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), HOSTS);
        String p = q(hosts.toString());

        ModuleResult badIp = apply("hosts", "{\"path\":" + p + ",\"entries\":[{\"ip\":\"10.0.0.1\\n6.6.6.6 node1\",\"names\":[\"node2\"]}]}");
        ModuleResult badName = apply("hosts", "{\"path\":" + p + ",\"entries\":[{\"ip\":\"10.0.0.1\",\"names\":[\"node2\\n6.6.6.6 node1\"]}]}");
        ModuleResult twice = apply("hosts", "{\"path\":" + p + ",\"entries\":[{\"ip\":\"10.0.0.1\",\"names\":[\"a\"]},"
                + "{\"ip\":\"10.0.0.2\",\"names\":[\"b\",\"a\"]}]}");

        assertThat(badIp.msg()).isEqualTo("args.entries[0].ip: expected an IP address, got \"10.0.0.1\\n6.6.6.6 node1\"");
        assertThat(badName.msg()).isEqualTo("args.entries[0].names: expected host names (RFC 1123), got \"node2\\n6.6.6.6 node1\"");
        assertThat(twice.msg()).isEqualTo("args.entries[1]: the name a is already given to 10.0.0.1 by args.entries[0]");
        assertThat(Files.readString(hosts)).isEqualTo(HOSTS);
    }

    @Test
    void ipv6AddressesAndRepeatedNamesOnOneLineAreFine() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), HOSTS);

        ModuleResult r = apply("hosts", "{\"path\":" + q(hosts.toString()) + ",\"lines\":" + q("fd00::2 node2 node2\n") + "}");

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(Files.readString(hosts)).contains("fd00::2 node2 node2\n");
    }
}
