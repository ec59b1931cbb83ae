package dev.rigger.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.controller.ssh.SshHostException.Kind;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalSshd.class)
class SshTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path state;

    @Test
    void refusesAnUnknownHostNamingItsAddressFingerprintAndTheWayToTrustIt(LocalSshd sshd) throws Exception {
        Path knownHostsFile = state.resolve("known_hosts");
        try (SshTransport transport = new SshTransport(KnownHosts.load(knownHostsFile, List.of(), false))) {
            assertThatThrownBy(() -> transport.connect(sshd.target("node1"), TIMEOUT))
                    .isInstanceOf(SshHostException.class)
                    .hasMessageContaining("node1 (127.0.0.1:" + sshd.port() + ")")
                    .hasMessageContaining(sshd.hostKeyFingerprint())
                    .hasMessageContaining("--trust-new-hosts")
                    .extracting(e -> ((SshHostException) e).kind()).isEqualTo(Kind.HOST_KEY);
        }
        assertThat(knownHostsFile).as("nothing is recorded without --trust-new-hosts").doesNotExist();
    }

    @Test
    void trustingNewHostsRecordsTheKeySoTheNextRunKnowsIt(LocalSshd sshd) throws Exception {
        Path knownHostsFile = state.resolve("dir/known_hosts");
        try (SshTransport transport = new SshTransport(KnownHosts.load(knownHostsFile, List.of(), true));
             SshHost host = transport.connect(sshd.target("node1"), TIMEOUT)) {
            assertThat(host.exec("echo ok", TIMEOUT).stdout()).isEqualTo("ok\n");
        }
        String keyBlob = sshd.hostKeyLine().split(" ")[1];
        assertThat(Files.readAllLines(knownHostsFile))
                .containsExactly("[127.0.0.1]:" + sshd.port() + " ssh-ed25519 " + keyBlob);

        try (SshTransport transport = new SshTransport(KnownHosts.load(knownHostsFile, List.of(), false));
             SshHost host = transport.connect(sshd.target("node1"), TIMEOUT)) {
            assertThat(host.isOpen()).isTrue();
        }
    }

    @Test
    void refusesAHostWhoseKeyDiffersFromTheRecordedOneEvenWhenTrustingNewHosts(LocalSshd sshd) throws Exception {
        Path knownHostsFile = state.resolve("known_hosts");
        String recorded = "[127.0.0.1]:" + sshd.port() + " " + sshd.otherKeyLine() + "\n";
        Files.writeString(knownHostsFile, recorded);

        try (SshTransport transport = new SshTransport(KnownHosts.load(knownHostsFile, List.of(), true))) {
            assertThatThrownBy(() -> transport.connect(sshd.target("node1"), TIMEOUT))
                    .isInstanceOf(SshHostException.class)
                    .hasMessageContaining("host key for node1 (127.0.0.1:" + sshd.port() + ") does not match the"
                            + " recorded key " + sshd.otherKeyFingerprint())
                    .hasMessageContaining("intercepting");
        }
        assertThat(knownHostsFile).hasContent(recorded.strip());
    }

    @Test
    void acceptsAHostKeyFromAReadOnlyFileSuchAsTheLabs(LocalSshd sshd) throws Exception {
        Path lab = state.resolve("lab_known_hosts");
        Files.writeString(lab, "# lab nodes\n|1|c29tZXNhbHQ=|bm90aGluZw== " + sshd.otherKeyLine() + "\n[node1]:" + sshd.port() + " " + sshd.hostKeyLine()
                + "\n");
        try (SshTransport transport = new SshTransport(KnownHosts.load(state.resolve("known_hosts"), List.of(lab),
                false));
             SshHost host = transport.connect(sshd.target("node1"), TIMEOUT)) {
            assertThat(host.isOpen()).isTrue();
        }
    }

    @Test
    void acceptsTheHostKeyTheInventoryGivesAndRefusesAnotherOne(LocalSshd sshd) throws Exception {
        KnownHosts knownHosts = KnownHosts.load(state.resolve("known_hosts"), List.of(), true);
        SshTarget right = new SshTarget("node1", "127.0.0.1", sshd.port(), sshd.user(), sshd.clientKey(),
                List.of(sshd.hostKeyLine()));
        SshTarget wrong = new SshTarget("node1", "127.0.0.1", sshd.port(), sshd.user(), sshd.clientKey(),
                List.of(sshd.otherKeyLine()));
        try (SshTransport transport = new SshTransport(knownHosts)) {
            try (SshHost host = transport.connect(right, TIMEOUT)) {
                assertThat(host.isOpen()).isTrue();
            }
            assertThatThrownBy(() -> transport.connect(wrong, TIMEOUT))
                    .isInstanceOf(SshHostException.class)
                    .hasMessageContaining("does not match the recorded key " + sshd.otherKeyFingerprint())
                    .hasMessageContaining("the inventory");
        }
        assertThat(state.resolve("known_hosts")).as("inventory keys are not copied into the file").doesNotExist();
    }

    @Test
    void refusesAClientKeyTheHostDoesNotAuthorize(LocalSshd sshd) throws Exception {
        SshTarget stranger = new SshTarget("node1", "127.0.0.1", sshd.port(), sshd.user(), sshd.strangerKey(),
                List.of(sshd.hostKeyLine()));
        try (SshTransport transport = new SshTransport(KnownHosts.load(state.resolve("kh"), List.of(), false))) {
            assertThatThrownBy(() -> transport.connect(stranger, TIMEOUT))
                    .isInstanceOf(SshHostException.class)
                    .hasMessageContaining("node1 (127.0.0.1:" + sshd.port() + ") refused the key")
                    .extracting(e -> ((SshHostException) e).kind()).isEqualTo(Kind.AUTH_REFUSED);
        }
    }

    @Test
    void reportsAConnectionRefusedByTheHost(LocalSshd sshd) throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        SshTarget target = new SshTarget("node9", "127.0.0.1", closedPort, sshd.user(), sshd.clientKey(), List.of());
        try (SshTransport transport = new SshTransport(KnownHosts.load(state.resolve("kh"), List.of(), false))) {
            assertThatThrownBy(() -> transport.connect(target, TIMEOUT))
                    .isInstanceOf(SshHostException.class)
                    .hasMessageContaining("connection to node9 (127.0.0.1:" + closedPort + ") refused")
                    .extracting(e -> ((SshHostException) e).kind()).isEqualTo(Kind.CONNECTION_REFUSED);
        }
    }

    @Test
    void reportsAHostThatNeverSpeaksSshAsTimedOut(LocalSshd sshd) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // accepts the TCP connection and then says nothing, like a hung sshd
            CompletableFuture<Socket> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (Exception e) {
                    return null;
                }
            });
            SshTarget target = new SshTarget("node3", "127.0.0.1", silent.getLocalPort(), sshd.user(),
                    sshd.clientKey(), List.of());
            try (SshTransport transport = new SshTransport(KnownHosts.load(state.resolve("kh"), List.of(), false))) {
                assertThatThrownBy(() -> transport.connect(target, Duration.ofSeconds(2)))
                        .isInstanceOf(SshHostException.class)
                        .hasMessageContaining("node3 (127.0.0.1:" + silent.getLocalPort() + ") timed out")
                        .extracting(e -> ((SshHostException) e).kind()).isEqualTo(Kind.TIMED_OUT);
            } finally {
                Socket socket = held.getNow(null);
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void reportsAMissingIdentityFile(LocalSshd sshd) throws Exception {
        SshTarget target = new SshTarget("node1", "127.0.0.1", sshd.port(), sshd.user(), state.resolve("no_such_key"),
                List.of());
        try (SshTransport transport = new SshTransport(KnownHosts.load(state.resolve("kh"), List.of(), false))) {
            assertThatThrownBy(() -> transport.connect(target, TIMEOUT))
                    .isInstanceOf(SshHostException.class)
                    .hasMessageContaining("no_such_key")
                    .hasMessageContaining("node1")
                    .extracting(e -> ((SshHostException) e).kind()).isEqualTo(Kind.IDENTITY);
        }
    }
}
