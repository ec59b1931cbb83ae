package dev.rigger.controller.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.controller.security.Secret;
import dev.rigger.controller.security.Tokens;
import dev.rigger.controller.ssh.ExecResult;
import dev.rigger.controller.ssh.KnownHosts;
import dev.rigger.controller.ssh.LocalSshd;
import dev.rigger.controller.ssh.Prerequisites;
import dev.rigger.controller.ssh.SshHost;
import dev.rigger.controller.ssh.SshTarget;
import dev.rigger.controller.ssh.SshTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalSshd.class)
class AgentBootstrapTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int FORWARD_PORT = 4711;

    private static SshTransport transport;
    private static SshHost host;
    private static Path standIn;

    @TempDir
    Path remoteRoot;

    @BeforeAll
    static void connect(LocalSshd sshd, @TempDir Path work) throws Exception {
        transport = new SshTransport(KnownHosts.load(work.resolve("known_hosts"), List.of(), false));
        host = transport.connect(new SshTarget("node1", "127.0.0.1", sshd.port(), sshd.user(), sshd.clientKey(),
                List.of(sshd.hostKeyLine())), TIMEOUT);
        standIn = Agents.standIn(work);
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
    void startsTheAgentOnTheHostsJavaAndShipsTheJarOnlyOnce() throws Exception {
        AgentBootstrap bootstrap = new AgentBootstrap(TestRuntime.image(), remoteRoot.toString(), true);
        Secret token = Tokens.oneTime();
        BlockingQueue<String> log = new LinkedBlockingQueue<>();

        AgentProcess first = bootstrap.start(host, standIn, FORWARD_PORT, "node1", token, log::add);

        List<String> lines = linesUntil(log, "token.sha256=");
        assertThat(first.jarShipped()).isTrue();
        assertThat(first.runtimeShipped()).isFalse();
        assertThat(first.bytesShipped()).isEqualTo(Files.size(standIn));
        assertThat(first.javaPath()).doesNotStartWith(remoteRoot.toString());
        assertThat(lines).contains("args=connect --host-name node1 --port " + FORWARD_PORT,
                "token.sha256=" + sha256(token.reveal()));
        assertThat(String.join("\n", lines)).as("the token travels on stdin only").doesNotContain(token.reveal());
        Path remoteJar = remoteRoot.resolve("agent/" + sha256(Files.readAllBytes(standIn)) + ".jar");
        assertThat(remoteJar).hasSameBinaryContentAs(standIn);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remoteJar))).isEqualTo("rw-r--r--");

        first.process().stdin().close();
        assertThat(first.process().exit().get(30, TimeUnit.SECONDS)).as("the agent ends with its stdin").isZero();
        assertThat(log).contains("stdin closed");

        long sentBefore = host.bytesSent();
        AgentProcess second = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), line -> { });
        second.process().stdin().close();

        assertThat(second.process().exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(second.jarShipped()).isFalse();
        assertThat(second.bytesShipped()).isZero();
        assertThat(host.bytesSent()).isEqualTo(sentBefore);
    }

    @Test
    void shipsTheRuntimeToAHostWithoutUsableJavaOnlyOnce() throws Exception {
        requireJmods();
        RuntimeImage image = TestRuntime.image();
        AgentBootstrap bootstrap = new AgentBootstrap(image, remoteRoot.toString(), false);
        BlockingQueue<String> log = new LinkedBlockingQueue<>();

        AgentProcess first = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), log::add);

        Path runtimeDir = remoteRoot.resolve("runtime/" + image.id());
        assertThat(linesUntil(log, "token.sha256=")).contains("java.home=" + runtimeDir);
        assertThat(first.runtimeShipped()).isTrue();
        assertThat(first.javaPath()).isEqualTo(runtimeDir.resolve("bin/java").toString());
        assertThat(first.bytesShipped()).isEqualTo(image.archive().bytes() + Files.size(standIn));
        try (Stream<Path> left = Files.list(remoteRoot.resolve("runtime"))) {
            assertThat(left).as("only the installed runtime and its stamp, no archive or unpack directory")
                    .containsExactlyInAnyOrder(runtimeDir, Path.of(runtimeDir + ".verified"));
        }
        first.process().stdin().close();
        assertThat(first.process().exit().get(30, TimeUnit.SECONDS)).isZero();

        ExecResult version = host.exec(runtimeDir.resolve("bin/java") + " -version", TIMEOUT);
        assertThat(version.exitCode()).isZero();
        assertThat(version.stderr()).contains("version \"17");

        AgentProcess second = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), line -> { });
        second.process().stdin().close();
        assertThat(second.process().exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(second.runtimeShipped()).isFalse();
        assertThat(second.bytesShipped()).isZero();
    }

    @Test
    void completesARuntimeInstallThatWasKilledHalfWay() throws Exception {
        requireJmods();
        RuntimeImage image = TestRuntime.image();
        Path runtime = Files.createDirectories(remoteRoot.resolve("runtime"));
        // what a kill leaves: a partial upload and a half-unpacked directory
        Files.writeString(runtime.resolve(image.id() + ".tar.gz.part"), "partial");
        Files.createDirectories(runtime.resolve(".unpack-Ab12Cd/" + image.id() + "/bin"));
        AgentBootstrap bootstrap = new AgentBootstrap(image, remoteRoot.toString(), false);

        AgentProcess agent = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), line -> { });
        agent.process().stdin().close();

        assertThat(agent.process().exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(agent.runtimeShipped()).isTrue();
        try (Stream<Path> left = Files.list(runtime)) {
            assertThat(left).containsExactlyInAnyOrder(runtime.resolve(image.id()), runtime.resolve(image.id() + ".verified"));
        }
    }

    @Test
    void aTamperedJarIsReplacedBeforeItRuns(@TempDir Path work) throws Exception {
        AgentBootstrap bootstrap = new AgentBootstrap(TestRuntime.image(), remoteRoot.toString(), true);
        AgentProcess first = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), line -> { });
        first.process().stdin().close();
        assertThat(first.process().exit().get(30, TimeUnit.SECONDS)).isZero();
        Path remoteJar = remoteRoot.resolve("agent/" + sha256(Files.readAllBytes(standIn)) + ".jar");
        Files.write(remoteJar, new byte[] {'x'}, StandardOpenOption.APPEND);

        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        AgentProcess second = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), log::add);

        assertThat(linesUntil(log, "token.sha256=")).contains("args=connect --host-name node1 --port " + FORWARD_PORT);
        second.process().stdin().close();
        assertThat(second.process().exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(second.jarShipped()).isTrue();
        assertThat(remoteJar).hasSameBinaryContentAs(standIn);
        assertThat(Files.getOwner(remoteJar).getName()).isEqualTo("root");
        try (Stream<Path> left = Files.list(remoteRoot.resolve("agent"))) {
            assertThat(left).as("no temporary file left").containsExactly(remoteJar);
        }
    }

    @Test
    void aGroupWritableRemoteRootIsRefusedAndNothingRuns() throws Exception {
        Files.setPosixFilePermissions(remoteRoot, PosixFilePermissions.fromString("rwxrwxr-x"));
        AgentBootstrap bootstrap = new AgentBootstrap(TestRuntime.image(), remoteRoot.toString(), true);

        assertThatThrownBy(() -> bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), line -> { }))
                .isInstanceOf(BootstrapException.class)
                .hasMessage(host.target().describe() + ": " + remoteRoot + " is mode 0775 (group-writable); rigger runs"
                        + " its agent as root only from a directory only root can write: chmod 0755 " + remoteRoot);
        try (Stream<Path> left = Files.list(remoteRoot)) {
            assertThat(left).as("nothing shipped").isEmpty();
        }
    }

    @Test
    void aChangedRuntimeIsReplacedBeforeItRuns() throws Exception {
        requireJmods();
        RuntimeImage image = TestRuntime.image();
        AgentBootstrap bootstrap = new AgentBootstrap(image, remoteRoot.toString(), false);
        AgentProcess first = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), line -> { });
        first.process().stdin().close();
        assertThat(first.process().exit().get(30, TimeUnit.SECONDS)).isZero();
        Path runtimeDir = remoteRoot.resolve("runtime/" + image.id());
        Path java = runtimeDir.resolve("bin/java");
        Files.move(java, runtimeDir.resolve("bin/java.real"));
        Files.writeString(java, "#!/bin/sh\ntouch " + remoteRoot.resolve("marker") + "\nexec \"$0.real\" \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        AgentProcess second = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), line -> { });
        second.process().stdin().close();

        assertThat(second.process().exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(second.runtimeShipped()).isTrue();
        assertThat(remoteRoot.resolve("marker")).as("the changed java never ran").doesNotExist();
        assertThat(runtimeDir.resolve("bin/java.real")).doesNotExist();
        assertThat(RuntimeManifest.of(runtimeDir)).isEqualTo(image.archive().manifest());
    }

    @Test
    void aRuntimeFileChangedInPlaceIsCaughtThoughTheStampFileIsKept() throws Exception {
        requireJmods();
        RuntimeImage image = TestRuntime.image();
        AgentBootstrap bootstrap = new AgentBootstrap(image, remoteRoot.toString(), false);
        AgentProcess first = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), line -> { });
        first.process().stdin().close();
        assertThat(first.process().exit().get(30, TimeUnit.SECONDS)).isZero();
        Path runtimeDir = remoteRoot.resolve("runtime/" + image.id());
        Path release = runtimeDir.resolve("release");
        byte[] original = Files.readAllBytes(release);
        byte[] changed = original.clone();
        changed[0] ^= 1;
        Files.write(release, changed);

        AgentProcess second = bootstrap.start(host, standIn, FORWARD_PORT, "node1", Tokens.oneTime(), line -> { });
        second.process().stdin().close();

        assertThat(second.process().exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(second.runtimeShipped()).as("same size, same mode: the change time gives it away").isTrue();
        assertThat(release).hasBinaryContent(original);
    }

    @Test
    void theRealAgentReportsFactsOnTheShippedRuntime() throws Exception {
        requireJmods();
        Optional<Path> agentJar = Agents.realAgentJar();
        Prerequisites.require(agentJar.isPresent(), "a complete agent jar (rigger-agent shaded, with its main class)"
                + " on the test classpath");
        RuntimeImage image = TestRuntime.image();
        AgentBootstrap bootstrap = new AgentBootstrap(image, remoteRoot.toString(), false);
        // shipping happens at start; the agent cannot reach a bridge here, so only the files matter
        AgentProcess agent = bootstrap.start(host, agentJar.get(), FORWARD_PORT, "node1", Tokens.oneTime(),
                line -> { });
        agent.process().close();

        String jar = remoteRoot.resolve("agent/" + sha256(Files.readAllBytes(agentJar.get())) + ".jar").toString();
        ExecResult facts = host.exec(agent.javaPath() + " -jar " + jar + " facts", TIMEOUT);

        assertThat(facts.exitCode()).as(facts.stderr()).isZero();
        assertThat(facts.stdout()).contains("\"hostname\"");
        assertThat(facts.stderr()).doesNotContain("NoClassDefFoundError").doesNotContain("Exception");
    }

    private static void requireJmods() {
        Prerequisites.require(Files.isDirectory(Path.of(System.getProperty("java.home"), "jmods")),
                "a JDK with jmods (Debian: openjdk-17-jdk-headless)");
    }

    private static List<String> linesUntil(BlockingQueue<String> log, String prefix) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = log.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("agent output so far: " + lines).isNotNull();
            lines.add(line);
            if (line.startsWith(prefix)) {
                return lines;
            }
        }
    }

    private static String sha256(String text) throws Exception {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
