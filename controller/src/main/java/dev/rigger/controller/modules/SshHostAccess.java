package dev.rigger.controller.modules;

import com.github.dockerjava.api.DockerClient;
import dev.rigger.controller.docker.HostDocker;
import dev.rigger.controller.ssh.SshHost;
import java.io.IOException;

/** A host reached through its SSH connection: its Docker through a tunnel to the host's Docker socket. */
public record SshHostAccess(String host, SshHost ssh) implements HostAccess {
    @Override
    public DockerClient docker() throws IOException {
        return HostDocker.of(host, ssh).client();
    }
}
