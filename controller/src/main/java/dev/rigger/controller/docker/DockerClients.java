package dev.rigger.controller.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.time.Duration;

/** docker-java clients configured the one way rigger uses them. */
final class DockerClients {
    /** Loading or saving an image of a few GB is one request; the daemon may think for minutes. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(30);

    private DockerClients() {
    }

    static DockerClient create(String dockerHost) {
        // set the host and TLS explicitly: the default builder would also take them from the environment
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).withDockerTlsVerify(false).build();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(16)
                .connectionTimeout(Duration.ofSeconds(30))
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
