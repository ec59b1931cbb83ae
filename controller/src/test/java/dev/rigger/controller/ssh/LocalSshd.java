package dev.rigger.controller.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real OpenSSH sshd on 127.0.0.1 for the tests of a class: its own ed25519 host key, one authorized
 * client key, root login by key only, SFTP. Use with {@code @ExtendWith(LocalSshd.class)} and take a
 * {@code LocalSshd} parameter.
 */
public final class LocalSshd implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalSshd.class);

    private final List<String> extraConfig;
    private Path dir;
    private Process process;
    private int port;
    private final List<String> log = new ArrayList<>();

    public LocalSshd() {
        this(List.of());
    }

    private LocalSshd(List<String> extraConfig) {
        this.extraConfig = List.copyOf(extraConfig);
    }

    /**
     * An sshd with these sshd_config lines before the usual ones (sshd takes the first value it reads), for
     * {@code @RegisterExtension static LocalSshd sshd = LocalSshd.withConfig("GatewayPorts yes")}.
     */
    public static LocalSshd withConfig(String... lines) {
        return new LocalSshd(List.of(lines));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Prerequisites.require(Files.isExecutable(SSHD), "OpenSSH server (/usr/sbin/sshd, Debian package openssh-server)");
        Prerequisites.require(onPath("ssh-keygen"), "ssh-keygen (Debian package openssh-client)");
        LocalSshd sshd = new LocalSshd(extraConfig);
        sshd.start();
        context.getStore(NAMESPACE).put(LocalSshd.class, sshd);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        LocalSshd sshd = context.getStore(NAMESPACE).remove(LocalSshd.class, LocalSshd.class);
        if (sshd != null) {
            sshd.stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == LocalSshd.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return extension.getStore(NAMESPACE).get(LocalSshd.class, LocalSshd.class);
    }

    private void start() throws Exception {
        dir = Files.createTempDirectory("rigger-sshd");
        keygen(dir.resolve("host_ed25519"));
        keygen(dir.resolve("client_ed25519"));
        keygen(dir.resolve("stranger_ed25519"));
        Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
        // sshd refuses to start without its privilege separation directory
        try {
            Files.createDirectories(Path.of("/run/sshd"));
        } catch (IOException e) {
            Prerequisites.require(false, "/run/sshd, sshd's privilege separation directory (tests run as root on CI)");
        }
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                launch(freePort());
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private void launch(int candidate) throws Exception {
        Path config = dir.resolve("sshd_config");
        List<String> lines = new ArrayList<>(extraConfig);
        lines.addAll(List.of(
                "Port " + candidate,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ed25519"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "StrictModes no",
                "UsePAM no",
                "PidFile none",
                "AllowTcpForwarding yes",
                "Subsystem sftp internal-sftp",
                "LogLevel INFO",
                ""));
        Files.writeString(config, String.join("\n", lines));
        Process started = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            synchronized (log) {
                log.add(line);
            }
            if (line.contains("Server listening on")) {
                process = started;
                port = candidate;
                // keep draining so sshd never blocks on a full pipe
                CompletableFuture.runAsync(() -> drain(reader));
                return;
            }
        }
        started.waitFor(5, TimeUnit.SECONDS);
        throw new IOException("sshd did not start on port " + candidate + ": " + String.join("\n", log));
    }

    private void drain(BufferedReader reader) {
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (log) {
                    if (log.size() < 10_000) {
                        log.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // sshd stopped
        }
    }

    private void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        deleteTree(dir);
    }

    public int port() {
        return port;
    }

    public String user() {
        return System.getProperty("user.name");
    }

    public Path clientKey() {
        return dir.resolve("client_ed25519");
    }

    /** A valid ed25519 key that sshd does not accept. */
    public Path strangerKey() {
        return dir.resolve("stranger_ed25519");
    }

    /** {@code ssh-ed25519 AAAA... comment} of the server's host key. */
    public String hostKeyLine() throws IOException {
        return Files.readString(dir.resolve("host_ed25519.pub")).strip();
    }

    /** Another ed25519 public key line, for a recorded key that does not match. */
    public String otherKeyLine() throws IOException {
        return Files.readString(dir.resolve("stranger_ed25519.pub")).strip();
    }

    /** The host key's fingerprint as ssh-keygen prints it ({@code SHA256:...}). */
    public String hostKeyFingerprint() throws Exception {
        return fingerprint(dir.resolve("host_ed25519.pub"));
    }

    public String otherKeyFingerprint() throws Exception {
        return fingerprint(dir.resolve("stranger_ed25519.pub"));
    }

    /** A target for this sshd whose inventory entry gives no host keys. */
    public SshTarget target(String name) {
        return new SshTarget(name, "127.0.0.1", port, user(), clientKey(), List.of());
    }

    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private static String fingerprint(Path publicKey) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out.split("\\s+")[1];
    }

    private static void keygen(Path file) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rigger-test", "-f",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-keygen failed for " + file + ": " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(":")) {
            if (Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
