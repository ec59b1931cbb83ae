package dev.rigger.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalSshd.class)
class SshHostTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static SshTransport transport;
    private static SshHost host;

    @BeforeAll
    static void connect(LocalSshd sshd, @TempDir Path state) throws Exception {
        KnownHosts knownHosts = KnownHosts.load(state.resolve("known_hosts"), List.of(), false);
        transport = new SshTransport(knownHosts);
        SshTarget target = new SshTarget("node1", "127.0.0.1", sshd.port(), sshd.user(), sshd.clientKey(),
                List.of(sshd.hostKeyLine()));
        host = transport.connect(target, TIMEOUT);
    }

    @AfterAll
    static void disconnect() {
        if (host != null) {
            host.close();
        }
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void execReturnsOutputAndExitCodeWithoutThrowingOnFailure() throws Exception {
        ExecResult result = host.exec("echo out; echo err >&2; exit 7", TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.succeeded()).isFalse();
    }

    @Test
    void execGivesCommandsThatReadStdinAnEndOfFile() throws Exception {
        ExecResult result = host.exec("cat; echo done", TIMEOUT);

        assertThat(result.stdout()).isEqualTo("done\n");
    }

    @Test
    void execReportsACommandKilledByASignalAsAShellWould() throws Exception {
        ExecResult result = host.exec("kill -KILL $$", TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(128 + 9);
    }

    @Test
    void execThatOverrunsItsTimeoutFailsNamingTheHost() {
        assertThatThrownBy(() -> host.exec("sleep 30", Duration.ofMillis(300)))
                .isInstanceOf(SshHostException.class)
                .hasMessageContaining("node1 (127.0.0.1:")
                .hasMessageContaining("did not finish")
                .extracting(e -> ((SshHostException) e).kind()).isEqualTo(SshHostException.Kind.TIMED_OUT);
    }

    @Test
    void startedCommandStreamsLinesBeforeItEnds() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        // the command cannot finish before it reads a line we only send after seeing its first line
        RemoteProcess process = host.start("echo first; echo warn >&2; read -r x; echo \"second $x\"; exit 3",
                lines::add, errors::add);

        assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(process.isRunning()).as("still waiting for its stdin").isTrue();
        OutputStream stdin = process.stdin();
        stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();

        assertThat(process.exit().get(30, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(lines).containsExactly("second go");
        assertThat(errors).containsExactly("warn");
    }

    @Test
    void startedCommandHandsOutAnUnterminatedLastLine() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        RemoteProcess process = host.start("printf 'a\\r\\nb\\nc'", lines::add, line -> { });

        assertThat(process.exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(lines).containsExactly("a", "b", "c");
    }

    @Test
    void exitFailsWhenTheSessionEndsBeforeTheCommand(LocalSshd sshd) throws Exception {
        SshHost second = transport.connect(new SshTarget("node2", "127.0.0.1", sshd.port(), sshd.user(),
                sshd.clientKey(), List.of(sshd.hostKeyLine())), TIMEOUT);
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            RemoteProcess process = second.start("echo up; exec sleep 600", lines::add, line -> { });
            assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("up");

            second.close();

            CompletableFuture<Integer> exit = process.exit();
            assertThatThrownBy(() -> exit.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SshHostException.class)
                    .hasMessageContaining("node2");
        } finally {
            second.close();
        }
    }

    @Test
    void uploadCreatesParentsSetsTheModeAndLeavesNoPartFile(@TempDir Path local, @TempDir Path remote)
            throws Exception {
        Path file = local.resolve("payload.bin");
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        Files.write(file, content);
        Path target = remote.resolve("a/b/payload.bin");
        long before = host.bytesSent();

        host.upload(file, target.toString(), 0750);

        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwxr-x---");
        assertThat(remote.resolve("a/b/payload.bin.part")).doesNotExist();
        assertThat(host.bytesSent() - before).isEqualTo(content.length);
    }

    @Test
    void uploadReplacesAnExistingFileInOneStep(@TempDir Path local, @TempDir Path remote) throws Exception {
        Path target = remote.resolve("app.jar");
        Files.writeString(target, "old version");
        Path hardLink = remote.resolve("still-open.jar");
        // a reader holding the old file keeps it intact: the new one arrives under a new inode by rename
        Files.createLink(hardLink, target);
        Path file = local.resolve("app.jar");
        Files.writeString(file, "new version");

        host.upload(file, target.toString(), 0644);

        assertThat(target).hasContent("new version");
        assertThat(hardLink).hasContent("old version");
        assertThat(remote.resolve("app.jar.part")).doesNotExist();
    }

    @Test
    void uploadIntoAPathBelowAFileFailsNamingTheHost(@TempDir Path local, @TempDir Path remote) throws Exception {
        Files.writeString(remote.resolve("plain"), "x");
        Path file = local.resolve("f");
        Files.writeString(file, "y");

        assertThatThrownBy(() -> host.upload(file, remote.resolve("plain/f").toString(), 0644))
                .isInstanceOf(SshHostException.class)
                .hasMessageContaining("node1")
                .hasMessageContaining("not a directory");
    }

    @Test
    void remoteForwardCarriesAConnectionMadeOnTheHostToTheController() throws Exception {
        try (ServerSocket bridge = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            transport.permitForwardsTo(bridge.getLocalPort());
            int hostPort = host.startRemoteForward(bridge.getLocalPort());
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> answerOnce(bridge, "world"));

            ExecResult result = host.exec("exec 3<>/dev/tcp/127.0.0.1/" + hostPort
                    + "; echo hello >&3; read -r reply <&3; echo \"$reply\"", TIMEOUT);

            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo("hello");
            assertThat(result.stdout().strip()).isEqualTo("world");
            assertThat(hostPort).isNotEqualTo(bridge.getLocalPort()).isPositive();
        }
    }

    @Test
    void remoteForwardToAPortThatIsNotPermittedIsRefused() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int hostPort = host.startRemoteForward(other.getLocalPort());
            CompletableFuture.runAsync(() -> answerOnce(other, "leaked"));

            // read status 1 = the connection was closed on the host; >128 would be read's own timeout
            ExecResult result = host.exec("exec 3<>/dev/tcp/127.0.0.1/" + hostPort
                    + " || exit 9; echo hello >&3 2>/dev/null; read -r -t 20 reply <&3; echo \"status=$? reply=$reply\"",
                    TIMEOUT);

            assertThat(result.stdout()).doesNotContain("leaked").contains("status=1 ");
        }
    }

    private static String answerOnce(ServerSocket server, String answer) {
        try (Socket socket = server.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            out.println(answer);
            return in.readLine();
        } catch (Exception e) {
            return "failed: " + e;
        }
    }
}
