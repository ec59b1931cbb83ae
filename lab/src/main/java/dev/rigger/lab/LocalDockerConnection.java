package dev.rigger.lab;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One connection to this machine's dockerd ($DOCKER_HOST or the default socket): the docker-java client every
 * part of the lab uses, plus the raw image import docker-java lacks.
 */
public final class LocalDockerConnection implements AutoCloseable {
    private static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final String host;
    private final DockerHttpClient http;
    private final DockerClient client;

    private LocalDockerConnection(String host, DockerHttpClient http, DockerClient client) {
        this.host = host;
        this.http = http;
        this.client = client;
    }

    /** Connects and checks that dockerd answers. */
    public static LocalDockerConnection connect() {
        String host = Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank()).orElse(DEFAULT_HOST);
        // Set the host explicitly: the default builder would also take it from system properties.
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).build();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).maxConnections(16)
                .connectionTimeout(Duration.ofSeconds(10))
                // Image imports stream hundreds of MB in one request.
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        LocalDockerConnection connection = new LocalDockerConnection(host, http, DockerClientImpl.getInstance(config, http));
        try {
            connection.client.pingCmd().exec();
        } catch (RuntimeException e) {
            connection.close();
            throw new LabException("dockerd does not answer at " + host + ": " + e.getMessage(), e);
        }
        return connection;
    }

    public String host() {
        return host;
    }

    public DockerClient client() {
        return client;
    }

    /**
     * Imports a rootfs tarball as {@code repository:tag}: the raw API call behind {@code docker import},
     * because docker-java's createImageCmd sends "{}" instead of the stream.
     */
    public void importImage(InputStream tar, String repository, String tag, List<String> changes) {
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
