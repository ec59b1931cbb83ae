package dev.rigger.controller.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state is written behind a run's results, and what is on disk is always whole and never goes back. */
class StateWriteBehindTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void resultsFromManyHostsAreAllOnDiskAfterCloseAndEverySnapshotOnTheWayIsWholeAndNeverShrinks() throws Exception {
        Path file = dir.resolve("state.json");
        AtomicBoolean done = new AtomicBoolean();
        List<String> problems = new ArrayList<>();
        Thread reader = new Thread(() -> {
            int last = 0;
            while (!done.get()) {
                try {
                    int seen = taskCount(JSON.readTree(Files.readAllBytes(file)));
                    if (seen < last) {
                        problems.add("went back from " + last + " to " + seen + " results");
                    }
                    last = seen;
                } catch (NoSuchFileException notYet) {
                    // nothing written yet
                } catch (Exception e) {
                    problems.add("unreadable snapshot: " + e);
                }
            }
        });
        reader.start();
        ExecutorService hosts = Executors.newFixedThreadPool(8);
        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            List<Future<?>> running = new ArrayList<>();
            for (int h = 0; h < 8; h++) {
                String host = "node" + h;
                running.add(hosts.submit(() -> {
                    for (int t = 0; t < 200; t++) {
                        store.recordTask(host, "book/play/task " + t, "run1",
                                new ModuleResult("file", Status.OK, false, "ok " + t, null, Map.of(), List.of(), 1));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            hosts.shutdownNow();
            done.set(true);
            reader.join();
        }
        assertThat(problems).isEmpty();
        assertThat(taskCount(JSON.readTree(Files.readAllBytes(file)))).isEqualTo(8 * 200);
    }

    @Test
    void aRecordedHostIsOnDiskBeforeTheCallReturns() throws Exception {
        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            store.recordHost(new InventoryHost("ecs1", "10.0.0.5", 22, "admin", null, List.of(), List.of("ecs"), Map.of()));
            assertThat(JsonFileStateStore.peekHosts(dir).hosts()).extracting(InventoryHost::name).containsExactly("ecs1");
        }
    }

    @Test
    void syncPutsAResultOnDiskWhileTheStoreStaysOpen() throws Exception {
        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            store.recordPlay("node1", new PlayRecord("book/play", "run1", "failed", "format it", "2026-01-01T00:00:00Z"));
            store.sync();
            assertThat(JsonFileStateStore.peekPlays(dir).get("node1").get("book/play").firstFailedTask()).isEqualTo("format it");
        }
    }

    @Test
    void aStoreOpenedAndClosedWithoutChangesWritesNothing() throws Exception {
        JsonFileStateStore.open(dir).close();
        assertThat(dir.resolve("state.json")).doesNotExist();
    }

    private static int taskCount(JsonNode root) {
        int n = 0;
        for (JsonNode host : root.path("hosts")) {
            n += host.path("tasks").size();
        }
        return n;
    }
}
