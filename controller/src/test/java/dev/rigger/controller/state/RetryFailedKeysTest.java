package dev.rigger.controller.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.events.StateRecorder;
import dev.rigger.controller.run.RunOptions;
import dev.rigger.protocol.ModuleResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --retry-failed finds a play's failed hosts by its key, with '/' in the names and in a state an older rigger wrote. */
class RetryFailedKeysTest {
    private static final List<String> HOSTS = List.of("node1", "node2");

    @TempDir
    Path dir;

    @Test
    void aPlayWithSlashesInItsNamesIsRetriedOnTheHostItFailedOnAndNotOnItsNamesake() throws Exception {
        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            StateRecorder recorder = new StateRecorder(store, false);
            recorder.on(new RunEvent.RunStarted(0, "run1", "ops", false));
            recorder.on(new RunEvent.PlayStarted(0, "db/primary", HOSTS));
            TaskKey key = TaskKey.of("ops", "db/primary", "format");
            recorder.on(new RunEvent.TaskFinished(0, "db/primary", "format", key.encoded(), "node1",
                    ModuleResult.failed("filesystem", "mkfs failed"), false, null, false));
            recorder.on(new RunEvent.RunFinished(0, "run1", Map.of(), 0));
        }

        RunOptions retry = retryOptions();

        assertThat(retry.retryFilter(new PlayKey("ops", "db/primary"), HOSTS)).containsExactly("node1");
        assertThat(retry.retryFilter(new PlayKey("ops/db", "primary"), HOSTS)).isEmpty();
    }

    @Test
    void aFailureAnOlderRiggerFiledUnderTheUnescapedKeyIsRetried() throws Exception {
        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            store.recordPlay("node2", new PlayRecord("ops/db/primary", "run0", "failed", "format", "2026-01-01T00:00:00Z"));
        }

        assertThat(retryOptions().retryFilter(new PlayKey("ops", "db/primary"), HOSTS)).containsExactly("node2");
    }

    @Test
    void aPlayThatNowWentOkReplacesItsOlderUnescapedFailure() throws Exception {
        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            store.recordPlay("node2", new PlayRecord("ops/db/primary", "run0", "failed", "format", "2026-01-01T00:00:00Z"));
            store.recordPlay("node2", new PlayRecord(new PlayKey("ops", "db/primary").encoded(), "run1", "ok", null,
                    "2026-01-02T00:00:00Z"));
        }

        assertThat(JsonFileStateStore.peekPlays(dir).get("node2")).containsOnlyKeys("ops/db~1primary");
        assertThat(RetryFailed.hostsPerPlay(dir)).isEmpty();
    }

    private RunOptions retryOptions() throws Exception {
        Map<String, Set<String>> failed = RetryFailed.hostsPerPlay(dir);
        return new RunOptions(null, false, false, null, Map.of(), false, dir, false, Set.of(), Set.of(), failed);
    }
}
