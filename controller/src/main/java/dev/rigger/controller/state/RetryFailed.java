package dev.rigger.controller.state;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --retry-failed}: per play, the hosts whose last run of it did not end ok. */
public final class RetryFailed {

    public static Map<String, Set<String>> hostsPerPlay(Path stateDir) throws IOException {
        Map<String, Set<String>> failed = new LinkedHashMap<>();
        JsonFileStateStore.peekPlays(stateDir).forEach((host, plays) -> plays.values().stream()
                .filter(PlayRecord::failed)
                .forEach(p -> failed.computeIfAbsent(p.playKey(), k -> new HashSet<>()).add(host)));
        return failed;
    }

    private RetryFailed() {
    }
}
