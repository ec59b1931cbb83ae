package dev.rigger.controller.docker;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.util.Optional;

/**
 * The controller machine's own dockerd ({@code $DOCKER_HOST}, else the default socket): where images come
 * from when hosts cannot reach a registry.
 */
public final class ControllerDocker implements AutoCloseable {
    private static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final String dockerHost;
    private final DockerClient client;

    private ControllerDocker(String dockerHost, DockerClient client) {
        this.dockerHost = dockerHost;
        this.client = client;
    }

    public static ControllerDocker connect() {
        String dockerHost = Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank())
                .orElse(DEFAULT_HOST);
        return new ControllerDocker(dockerHost, DockerClients.create(dockerHost));
    }

    public DockerClient client() {
        return client;
    }

    public String describe() {
        return "the controller's dockerd at " + dockerHost;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // connections to a local daemon; nothing to recover
        }
    }
}
