package dev.rigger.lab.ecs;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.rigger.lab.LabException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** This machine's dockerd, as far as the simulator image needs it: look up, import and tag images. */
final class LocalDockerd implements AutoCloseable {
    private static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final String host;
    private final DockerHttpClient http;
    private final DockerClient client;

    private LocalDockerd(String host, DockerHttpClient http, DockerClient client) {
        this.host = host;
        this.http = http;
        this.client = client;
    }

    /** Connects to $DOCKER_HOST or the default socket and checks that dockerd answers. */
    static LocalDockerd connect() {
        String host = Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank()).orElse(DEFAULT_HOST);
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofMinutes(10)).build();
        LocalDockerd dockerd = new LocalDockerd(host, http, DockerClientImpl.getInstance(config, http));
        try {
            dockerd.client.pingCmd().exec();
        } catch (RuntimeException e) {
            dockerd.close();
            throw new LabException("dockerd does not answer at " + host + ": " + e.getMessage(), e);
        }
        return dockerd;
    }

    /** The image id of {@code reference}, if dockerd has it. */
    Optional<String> imageId(String reference) {
        try {
            return Optional.of(client.inspectImageCmd(reference).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Also names {@code reference} as {@code repository:tag} (moves the tag if it named another image). */
    void tag(String reference, String repository, String tag) {
        client.tagImageCmd(reference, repository, tag).withForce(true).exec();
    }

    /**
     * Imports a rootfs tarball as {@code repository:tag}: the raw call behind {@code docker import}, because
     * docker-java's createImageCmd sends "{}" instead of the stream.
     */
    void importImage(InputStream tar, String repository, String tag, List<String> changes) {
        StringBuilder path = new StringBuilder("/images/create?fromSrc=-&repo=").append(encode(repository))
                .append("&tag=").append(encode(tag));
        changes.forEach(c -> path.append("&changes=").append(encode(c)));
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST).path(path.toString())
                .putHeader("Content-Type", "application/x-tar").body(tar).build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            if (response.getStatusCode() / 100 != 2 || body.contains("\"error")) {
                throw new LabException("dockerd at " + host + " refused the import of " + repository + ":" + tag
                        + " (HTTP " + response.getStatusCode() + "): " + body.strip());
            }
        } catch (IOException e) {
            throw new LabException("import of " + repository + ":" + tag + " into dockerd at " + host + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** The size dockerd reports for {@code reference}, in bytes. */
    long size(String reference) {
        Long size = client.inspectImageCmd(reference).exec().getSize();
        return size == null ? -1 : size;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing a local socket client: nothing to recover
        }
    }
}
