package dev.rigger.controller.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerModules;
import dev.rigger.controller.modules.SshHostAccess;
import dev.rigger.controller.ssh.KnownHosts;
import dev.rigger.controller.ssh.LocalSshd;
import dev.rigger.controller.ssh.Prerequisites;
import dev.rigger.controller.ssh.SshHost;
import dev.rigger.controller.ssh.SshTarget;
import dev.rigger.controller.ssh.SshTransport;
import dev.rigger.protocol.ModuleResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This machine as a "host": its dockerd reached through a real SSH session to a {@link LocalSshd}, and a
 * module context around that session, for running controller-side Docker modules the way a play does.
 */
public final class DockerTestHost implements AutoCloseable {
    public static final Path DOCKER_SOCKET = Path.of(DockerTunnel.DOCKER_SOCKET);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SshTransport transport;
    private final SshHost ssh;
    private final Path stateDir;
    private final ControllerModules modules = new ControllerModules();
    private final List<String> output = new CopyOnWriteArrayList<>();

    private DockerTestHost(SshTransport transport, SshHost ssh, Path stateDir) {
        this.transport = transport;
        this.ssh = ssh;
        this.stateDir = stateDir;
    }

    /** Requires a running dockerd and connects to the sshd as host {@code name}. */
    public static DockerTestHost connect(LocalSshd sshd, String name, Path stateDir) throws Exception {
        requireDocker();
        KnownHosts knownHosts = KnownHosts.load(stateDir.resolve("known_hosts"), List.of(), false);
        SshTransport transport = new SshTransport(knownHosts);
        SshTarget target = new SshTarget(name, "127.0.0.1", sshd.port(), sshd.user(), sshd.clientKey(),
                List.of(sshd.hostKeyLine()));
        return new DockerTestHost(transport, transport.connect(target, Duration.ofSeconds(30)), stateDir);
    }

    public static void requireDocker() {
        Prerequisites.require(Files.exists(DOCKER_SOCKET), "a running dockerd at " + DOCKER_SOCKET);
    }

    public SshHost ssh() {
        return ssh;
    }

    public String name() {
        return ssh.target().name();
    }

    public ModuleResult run(String module, String argsJson) throws IOException {
        return run(module, argsJson, false);
    }

    public ModuleResult run(String module, String argsJson, boolean check) throws IOException {
        ObjectNode args = (ObjectNode) JSON.readTree(argsJson);
        return modules.run(module, args, new ControllerModuleContext(name(), "127.0.0.1", new SshHostAccess(name(), ssh),
                null, check, true, stateDir, output::add, null));
    }

    /** Lines the modules wrote to the live output so far. */
    public List<String> output() {
        return List.copyOf(output);
    }

    public void clearOutput() {
        output.clear();
    }

    @Override
    public void close() {
        HostDocker.close(name());
        ssh.close();
        transport.close();
    }
}
