package dev.rigger.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    /** Records each sync with what the target held at that moment, then syncs for real. */
    private final List<String> syncs = new ArrayList<>();

    private AtomicFiles recording(Path target) {
        return new AtomicFiles(new AtomicFiles.Sync() {
            @Override
            public void file(FileChannel channel) throws IOException {
                syncs.add("file, target holds " + holds(target));
                AtomicFiles.Sync.DISK.file(channel);
            }

            @Override
            public void directory(Path d) throws IOException {
                syncs.add("directory " + d.getFileName() + ", target holds " + holds(target));
                AtomicFiles.Sync.DISK.directory(d);
            }
        });
    }

    private static String holds(Path target) throws IOException {
        return Files.exists(target) ? Files.readString(target, UTF_8) : "nothing";
    }

    @Test
    void theFileIsSyncedBeforeTheRenameAndTheDirectoryAfterIt() throws IOException {
        Path target = dir.resolve("state.json");
        Files.writeString(target, "old");

        recording(target).replace(target, null, out -> out.write("new".getBytes(UTF_8)));

        assertThat(syncs).containsExactly("file, target holds old",
                "directory " + dir.getFileName() + ", target holds new");
        assertThat(Files.readString(target)).isEqualTo("new");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTempFile() throws IOException {
        Path target = dir.resolve("known_hosts");
        Files.writeString(target, "old");

        assertThatThrownBy(() -> recording(target).replace(target, null, out -> {
            out.write("half".getBytes(UTF_8));
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(filesIn(dir)).containsExactly("known_hosts");
        assertThat(syncs).isEmpty();
    }

    @Test
    void aSuccessfulWriteLeavesNoTempFile() throws IOException {
        AtomicFiles.write(dir.resolve("a"), "1".getBytes(UTF_8));
        AtomicFiles.write(dir.resolve("a"), "2".getBytes(UTF_8));

        assertThat(filesIn(dir)).containsExactly("a");
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("2");
    }

    @Test
    void aNewFileIsOwnerOnlyAndAReplacedOneKeepsItsMode() throws IOException {
        Path fresh = dir.resolve("token");
        AtomicFiles.write(fresh, "secret".getBytes(UTF_8));
        Path shared = dir.resolve("cert.pem");
        Files.writeString(shared, "old");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFiles.write(shared, "new".getBytes(UTF_8));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-r--r--");
    }

    @Test
    void givenPermissionsAreExactWhateverTheUmask() throws IOException {
        Path target = dir.resolve("pub");

        AtomicFiles.write(target, "x".getBytes(UTF_8), PosixFilePermissions.fromString("rw-rw-r--"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-rw-r--");
    }

    @Test
    void missingParentDirectoriesAreCreated() throws IOException {
        Path target = dir.resolve("a/b/c.json");

        AtomicFiles.write(target, "{}".getBytes(UTF_8));

        assertThat(Files.readString(target)).isEqualTo("{}");
    }

    @Test
    void aFileAnotherProgramWroteIsMovedIntoPlaceWithTheSameSyncs() throws IOException {
        Path work = Files.createDirectory(dir.resolve(".build"));
        Path written = Files.writeString(work.resolve("runtime.tar.gz"), "new");
        Path target = dir.resolve("runtime.tar.gz");

        recording(target).move(written, target);

        assertThat(syncs).containsExactly("file, target holds nothing",
                "directory " + dir.getFileName() + ", target holds new");
        assertThat(filesIn(work)).isEmpty();
    }

    @Test
    void aDirectorySyncOfAMissingDirectoryFails() {
        assertThatThrownBy(() -> AtomicFiles.Sync.DISK.directory(dir.resolve("gone")))
                .isInstanceOf(NoSuchFileException.class);
    }

    private static List<String> filesIn(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
