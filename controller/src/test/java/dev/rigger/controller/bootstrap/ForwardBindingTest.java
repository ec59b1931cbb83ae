package dev.rigger.controller.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.controller.security.Tokens;
import dev.rigger.controller.ssh.ExecResult;
import dev.rigger.controller.ssh.KnownHosts;
import dev.rigger.controller.ssh.LocalSshd;
import dev.rigger.controller.ssh.SshHost;
import dev.rigger.controller.ssh.SshTarget;
import dev.rigger.controller.ssh.SshTransport;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote forward to the bridge as sshd really binds it. OpenSSH with {@code GatewayPorts yes} binds the wildcard
 * address although rigger asks for 127.0.0.1, and the SSH protocol does not tell the client: the probe reads the
 * host's socket table and the bootstrap refuses the host.
 */
class ForwardBindingTest {

    @RegisterExtension
    static final LocalSshd GATEWAY_PORTS = LocalSshd.withConfig("GatewayPorts yes");

    @Test
    void readsTheAddressesOfProcNetTcp() {
        assertThat(ForwardBinding.address("0100007F:9C40").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(ForwardBinding.address("00000000:9C40").getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(ForwardBinding.address("0B02000A:9C40").getHostAddress()).isEqualTo("10.0.2.11");
        assertThat(ForwardBinding.address("00000000000000000000000001000000:9C40").isLoopbackAddress()).isTrue();
        assertThat(ForwardBinding.address("00000000000000000000000000000000:9C40").isAnyLocalAddress()).isTrue();
        assertThat(ForwardBinding.address("zz")).isNull();
    }

    @Test
    void onlyLoopbackListenersAreAccepted() {
        assertThat(ForwardBinding.refusal("node2", 40000, List.of("0100007F:9C40",
                "00000000000000000000000001000000:9C40"))).isNull();
        assertThat(ForwardBinding.refusal("node2", 40000, List.of())).isNull();
        assertThat(ForwardBinding.refusal("node2", 40000, List.of("0100007F:9C40", "00000000:9C40")))
                .startsWith("node2: sshd bound the agent's forward to 0.0.0.0:40000, not to loopback only")
                .contains("GatewayPorts");
    }

    @Test
    void aForwardThatSshdBoundToTheWildcardAddressIsRefusedAndNothingRuns(LocalSshd sshd, @TempDir Path work)
            throws Exception {
        int bridgePort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            bridgePort = s.getLocalPort();
        }
        Path remoteRoot = Files.createDirectories(work.resolve("root"));
        Path standIn = Agents.standIn(work);
        try (SshTransport transport = new SshTransport(KnownHosts.load(work.resolve("known_hosts"), List.of(), false))) {
            transport.permitForwardsTo(bridgePort);
            try (SshHost host = transport.connect(new SshTarget("node1", "127.0.0.1", sshd.port(), sshd.user(),
                    sshd.clientKey(), List.of(sshd.hostKeyLine())), Duration.ofSeconds(30))) {
                int forwarded = host.startRemoteForward(bridgePort);

                ExecResult listening = host.exec("ss -Hltn 'sport = :" + forwarded + "'", Duration.ofSeconds(30));
                assertThat(listening.stdout()).as("what OpenSSH did with the request for 127.0.0.1")
                        .containsPattern("(0\\.0\\.0\\.0|\\*|\\[::\\]):" + forwarded);

                AgentBootstrap bootstrap = new AgentBootstrap(TestRuntime.image(), remoteRoot.toString(), true);
                assertThatThrownBy(() -> bootstrap.start(host, standIn, forwarded, "node1", Tokens.oneTime(),
                        line -> { }))
                        .isInstanceOf(BootstrapException.class)
                        .hasMessageContaining(":" + forwarded + ", not to loopback only")
                        .hasMessageContaining("GatewayPorts");
                try (var left = Files.list(remoteRoot)) {
                    assertThat(left).as("nothing shipped").isEmpty();
                }
            }
        }
    }
}
