package dev.rigger.agent.modules.preallocate;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.modules.ModuleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A bin file found at the root of the filesystem: its name ({@code 0007}), size and extent map. */
record BinFile(String name, Path file, long sizeBytes, Fiemap map) {
    /** ECS names bins {@code %04d}; five digits only once there are 10000. */
    static final Pattern NAME = Pattern.compile("\\d{4,}");

    static String nameOf(int index) {
        return String.format("%04d", index);
    }

    /** Has blocks for every byte of {@code binSizeBytes} (nothing to fallocate). */
    boolean complete(long binSizeBytes) {
        return sizeBytes == binSizeBytes && map.allocatedBytes() >= binSizeBytes;
    }

    boolean hasUnwritten() {
        return map.unwritten() > 0;
    }

    /** The bins at the root of {@code mountpoint}, in name order. */
    static List<BinFile> survey(Path mountpoint) {
        List<Path> files;
        try (Stream<Path> all = Files.list(mountpoint)) {
            files = all.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new ModuleException("cannot list " + mountpoint + ": " + e.getMessage());
        }
        List<BinFile> bins = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new ModuleException(f + " has a bin's name but is not a regular file; move it out of the way");
            }
            CommandOutcome out = CommandRunner.probe("xfs_io", "-r", "-c", "fiemap -v", f.toString());
            if (!out.ok()) {
                throw new ModuleException("xfs_io -r -c 'fiemap -v' " + f + " exited with " + out.exitCode() + ": " + out.summary());
            }
            try {
                bins.add(new BinFile(f.getFileName().toString(), f, Files.size(f), Fiemap.parse(out.stdout())));
            } catch (IOException e) {
                throw new ModuleException("cannot stat " + f + ": " + e.getMessage());
            }
        }
        return bins;
    }
}
