package dev.rigger.controller.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.rigger.controller.ssh.LocalSshd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalSshd.class)
class DockerTunnelTest {

    private static DockerTestHost host;
    private static final TestImages IMAGES = new TestImages();

    @BeforeAll
    static void connect(LocalSshd sshd, @TempDir Path state) throws Exception {
        host = DockerTestHost.connect(sshd, "tunnel-node", state);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        IMAGES.removeAll();
        if (host != null) {
            host.close();
        }
    }

    @Test
    void pingsTheHostsDockerThroughItsSshSession() throws Exception {
        HostDocker docker = HostDocker.of(host.ssh());

        docker.client().pingCmd().exec();

        assertThat(docker.client().versionCmd().exec().getApiVersion()).as("the daemon's API version").isNotBlank();
        assertThat(docker.tunnel().channelsOpened()).as("requests travel in streamlocal channels").isPositive();
    }

    @Test
    void listensOnAPrivateUnixSocketAndNoTcpPort() throws Exception {
        Path socket = HostDocker.of(host.ssh()).tunnel().socket();

        BasicFileAttributes attributes = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(attributes.isOther()).as("a socket file, not a regular file").isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void reusesItsChannelsAcrossRequests() throws Exception {
        HostDocker docker = HostDocker.of(host.ssh());
        int before = docker.tunnel().channelsOpened();

        for (int i = 0; i < 50; i++) {
            docker.client().pingCmd().exec();
        }

        assertThat(docker.tunnel().channelsOpened() - before).as("HTTP keep-alive through the tunnel").isLessThan(5);
    }

    @Test
    void isTheSameClientForTheSameSession() throws Exception {
        assertThat(HostDocker.of(host.ssh())).isSameAs(HostDocker.of(host.ssh()));
    }

    @Test
    void carriesAHijackedExecAndItsExitCode() throws Exception {
        String image = IMAGES.busybox();
        DockerClient docker = HostDocker.of(host.ssh()).client();
        CreateContainerResponse container = docker.createContainerCmd(image)
                .withCmd("sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait").exec();
        try {
            docker.startContainerCmd(container.getId()).exec();
            String exec = docker.execCreateCmd(container.getId()).withAttachStdout(true).withAttachStderr(true)
                    .withCmd("sh", "-c", "echo to-out; echo to-err >&2; exit 5").exec().getId();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
                }
            }).awaitCompletion(60, TimeUnit.SECONDS);

            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("to-out\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("to-err\n");
            assertThat(docker.inspectExecCmd(exec).exec().getExitCodeLong()).isEqualTo(5L);
        } finally {
            docker.removeContainerCmd(container.getId()).withForce(true).exec();
        }
    }

    @Test
    void channelEndsWhenTheHostsSocketClosesItsSide() throws Exception {
        DirectStreamLocalChannel channel = DirectStreamLocalChannel.create(host.ssh().session(), DockerTunnel.DOCKER_SOCKET);
        channel.open().verify(Duration.ofSeconds(30));
        try {
            OutputStream request = channel.getInvertedIn();
            // HTTP/1.0: dockerd closes the connection after answering, and OpenSSH passes that on as EOF only
            request.write("GET /_ping HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream response = channel.getInvertedOut();

            String answer = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> new String(response.readAllBytes(), StandardCharsets.US_ASCII),
                    "reading past the response must end, not wait for a CLOSE that never comes");

            assertThat(answer).startsWith("HTTP/1.0 200").endsWith("OK");
        } finally {
            channel.close(true);
        }
    }

    @Test
    void closesAClientWhoseRemoteSocketDoesNotExistAndSaysWhy() throws Exception {
        try (DockerTunnel tunnel = DockerTunnel.open("tunnel-node", host.ssh().session(), "/run/rigger-no-such.sock");
             SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(tunnel.socket()));
            client.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

            boolean ended = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                try {
                    return client.read(ByteBuffer.allocate(64)) < 0;
                } catch (IOException e) {
                    // closed with our request unread: a reset, which ends it just as well
                    return true;
                }
            });

            assertThat(ended).as("the connection ends instead of hanging").isTrue();
            assertThat(tunnel.lastFailure()).contains("/run/rigger-no-such.sock").contains("tunnel-node");
        }
    }

    @Test
    void namesAHostThatHasNoSshSession() {
        assertThatThrownBy(() -> HostDocker.of("agentless-node", null))
                .isInstanceOf(IOException.class).hasMessageContaining("agentless-node has no SSH session");
    }

    @Test
    void goesAwayWithItsSshSession(LocalSshd sshd, @TempDir Path state) throws Exception {
        Path socket;
        try (DockerTestHost other = DockerTestHost.connect(sshd, "short-lived-node", state)) {
            socket = HostDocker.of(other.ssh()).tunnel().socket();
            assertThat(socket).exists();
            other.ssh().close();
            // the session's close listeners run on MINA's threads
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Files.exists(socket) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        assertThat(socket).as("closing the SSH session removes the tunnel's socket").doesNotExist();
        assertThat(socket.getParent()).doesNotExist();
    }
}
