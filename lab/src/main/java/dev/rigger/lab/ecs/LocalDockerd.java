package dev.rigger.lab.ecs;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.rigger.lab.LocalDockerConnection;

import java.util.Optional;

/** This machine's dockerd, as far as the simulator image needs it: look up, import and tag images. */
final class LocalDockerd implements AutoCloseable {
    private final LocalDockerConnection connection;

    private LocalDockerd(LocalDockerConnection connection) {
        this.connection = connection;
    }

    /** Connects to $DOCKER_HOST or the default socket and checks that dockerd answers. */
    static LocalDockerd connect() {
        return new LocalDockerd(LocalDockerConnection.connect());
    }

    LocalDockerConnection connection() {
        return connection;
    }

    /** The image id of {@code reference}, if dockerd has it. */
    Optional<String> imageId(String reference) {
        try {
            return Optional.of(connection.client().inspectImageCmd(reference).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Also names {@code reference} as {@code repository:tag} (moves the tag if it named another image). */
    void tag(String reference, String repository, String tag) {
        connection.client().tagImageCmd(reference, repository, tag).withForce(true).exec();
    }

    /** The size dockerd reports for {@code reference}, in bytes. */
    long size(String reference) {
        Long size = connection.client().inspectImageCmd(reference).exec().getSize();
        return size == null ? -1 : size;
    }

    @Override
    public void close() {
        connection.close();
    }
}
