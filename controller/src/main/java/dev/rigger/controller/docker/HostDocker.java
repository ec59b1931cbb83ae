package dev.rigger.controller.docker;

import com.github.dockerjava.api.DockerClient;
import dev.rigger.controller.ssh.SshHost;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A host's dockerd, reached through its SSH session ({@link DockerTunnel}), with one docker-java client
 * that pools its connections. One per host, made on first use and kept until the host's SSH session
 * closes (it closes itself then) or {@link #close(String)} / {@link #closeAll()} is called.
 */
public final class HostDocker implements AutoCloseable {
    private static final ConcurrentMap<String, HostDocker> OPEN = new ConcurrentHashMap<>();

    private final String host;
    private final SshHost ssh;
    private final DockerTunnel tunnel;
    private final DockerClient client;
    private volatile boolean closed;

    private HostDocker(String host, SshHost ssh, DockerTunnel tunnel, DockerClient client) {
        this.host = host;
        this.ssh = ssh;
        this.tunnel = tunnel;
        this.client = client;
    }

    /**
     * The Docker of {@code host}, whose SSH session may be missing (then the error says so).
     *
     * @throws IOException naming the host when it has no SSH session or its Docker socket cannot be reached
     */
    public static HostDocker of(String host, SshHost ssh) throws IOException {
        if (ssh == null) {
            throw new IOException(host + " has no SSH session; its Docker is only reached through one");
        }
        return of(ssh);
    }

    /**
     * The host's Docker, checked with a ping when first made.
     *
     * @throws IOException naming the host when its Docker socket cannot be reached through SSH
     */
    public static HostDocker of(SshHost ssh) throws IOException {
        String host = ssh.target().name();
        HostDocker current = OPEN.get(host);
        if (current != null && current.usableFor(ssh)) {
            return current;
        }
        HostDocker made = open(host, ssh);
        HostDocker kept = OPEN.compute(host, (name, old) -> {
            if (old != null && old.usableFor(ssh)) {
                return old;
            }
            if (old != null) {
                old.close();
            }
            return made;
        });
        if (kept != made) {
            made.close();
            return kept;
        }
        // the tunnel lives inside the SSH session: when that ends, so does this
        ssh.session().addCloseFutureListener(future -> {
            OPEN.remove(host, made);
            made.close();
        });
        return made;
    }

    /** Closes the client and tunnel of one host, if open. */
    public static void close(String host) {
        HostDocker docker = OPEN.remove(host);
        if (docker != null) {
            docker.close();
        }
    }

    /** Closes every host's client and tunnel (end of a run, controller shutdown). */
    public static void closeAll() {
        for (String host : OPEN.keySet()) {
            close(host);
        }
    }

    public String host() {
        return host;
    }

    public DockerClient client() {
        return client;
    }

    public DockerTunnel tunnel() {
        return tunnel;
    }

    public String describe() {
        return "Docker on " + host;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close();
        } catch (IOException e) {
            // the tunnel below is closed next; nothing else holds resources
        }
        tunnel.close();
    }

    private boolean usableFor(SshHost candidate) {
        return !closed && ssh == candidate && candidate.isOpen();
    }

    private static HostDocker open(String host, SshHost ssh) throws IOException {
        if (!ssh.isOpen()) {
            throw new IOException("cannot reach Docker on " + host + ": its SSH session is closed");
        }
        DockerTunnel tunnel = DockerTunnel.open(host, ssh.session(), DockerTunnel.DOCKER_SOCKET);
        HostDocker docker = new HostDocker(host, ssh, tunnel, DockerClients.create("unix://" + tunnel.socket()));
        try {
            docker.client.pingCmd().exec();
        } catch (RuntimeException e) {
            docker.close();
            String why = tunnel.lastFailure() != null ? tunnel.lastFailure() : DockerTunnel.message(e);
            throw new IOException("Docker on " + host + " does not answer at " + DockerTunnel.DOCKER_SOCKET
                    + " through SSH: " + why, e);
        }
        return docker;
    }
}
