package dev.rigger.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CachedProbeTest {
    private Path dir;
    private Path config;
    private final AtomicInteger probes = new AtomicInteger();

    @BeforeEach
    void makeConfig() throws Exception {
        dir = Files.createTempDirectory("cached-probe");
        config = Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.0.0.2\n");
    }

    @AfterEach
    void removeConfig() throws Exception {
        Files.deleteIfExists(config);
        Files.deleteIfExists(dir);
    }

    @Test
    void theAnswerIsReusedWhileTheFileItDependsOnIsUnchanged() {
        CachedProbe<String> cache = new CachedProbe<>(List.of(config), Duration.ofHours(1));
        assertThat(cache.get("node1", this::probe)).isEqualTo("answer 1");
        assertThat(cache.get("node1", this::probe)).isEqualTo("answer 1");
        assertThat(probes).hasValue(1);
    }

    @Test
    void aChangedFileADifferentKeyOrAnAgedAnswerProbesAgain() throws Exception {
        CachedProbe<String> cache = new CachedProbe<>(List.of(config), Duration.ofHours(1));
        cache.get("node1", this::probe);
        Files.setLastModifiedTime(config, FileTime.from(Instant.now().minusSeconds(3600)));
        assertThat(cache.get("node1", this::probe)).as("mtime changed").isEqualTo("answer 2");
        assertThat(cache.get("node2", this::probe)).as("another hostname").isEqualTo("answer 3");
        Files.delete(config);
        assertThat(cache.get("node2", this::probe)).as("file removed").isEqualTo("answer 4");

        CachedProbe<String> noReuse = new CachedProbe<>(List.of(config), Duration.ZERO);
        noReuse.get("node1", this::probe);
        assertThat(noReuse.get("node1", this::probe)).as("older than maxAge").isEqualTo("answer 6");
    }

    @Test
    void aProbeThatThrowsCachesNothing() {
        CachedProbe<String> cache = new CachedProbe<>(List.of(config), Duration.ofHours(1));
        assertThatThrownBy(() -> cache.get("node1", () -> {
            throw new IllegalStateException("hostname -f ran past its deadline");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(cache.get("node1", this::probe)).isEqualTo("answer 1");
    }

    private String probe() {
        return "answer " + probes.incrementAndGet();
    }
}
