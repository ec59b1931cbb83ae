package dev.rigger.controller.modules;

import com.github.dockerjava.api.DockerClient;
import dev.rigger.controller.ssh.SshHost;
import java.io.IOException;

/**
 * How a controller-side module reaches its target host: the host's Docker, and the host's SSH connection for a
 * module that forwards a port of the host's loopback through it. The host's session gives it; a host without an
 * SSH connection ({@code localhost}, the controller itself) has neither.
 */
public interface HostAccess {
    /**
     * The host's Docker, made on first use and kept while the host's connection lasts.
     *
     * @throws IOException naming the host when it has no Docker the controller can reach
     */
    DockerClient docker() throws IOException;

    /** The host's SSH connection; null when it has none. */
    SshHost ssh();

    /** A host reached without SSH: its Docker is not reachable, and asking for it says why. */
    static HostAccess none(String host) {
        return new SshHostAccess(host, null);
    }
}
