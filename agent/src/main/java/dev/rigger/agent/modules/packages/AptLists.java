package dev.rigger.agent.modules.packages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * apt's package lists: fresh cloud and container images ship without them, and then every
 * {@code apt-get install} fails with "Unable to locate package".
 */
final class AptLists {
    /** Lists older than this may miss packages the mirror has since gained. */
    static final Duration STALE_AFTER = Duration.ofDays(1);

    private final Path dir;

    AptLists(Path dir) {
        this.dir = dir;
    }

    static AptLists system() {
        return new AptLists(Path.of("/var/lib/apt/lists"));
    }

    boolean empty() {
        return newestPackagesList().isEmpty();
    }

    /** Empty, or last fetched longer ago than {@link #STALE_AFTER}. */
    boolean stale() {
        return newestPackagesList().map(t -> t.toInstant().isBefore(Instant.now().minus(STALE_AFTER))).orElse(true);
    }

    private Optional<FileTime> newestPackagesList() {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains("_Packages"))
                    .map(AptLists::modified).filter(t -> t != null).max(FileTime::compareTo);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            return null;
        }
    }
}
