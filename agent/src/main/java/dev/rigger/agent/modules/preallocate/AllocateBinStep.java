package dev.rigger.agent.modules.preallocate;

import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.agent.modules.step.DirectoryWalk;
import dev.rigger.agent.modules.step.ExecStep;
import dev.rigger.protocol.StepResult;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Set;

/**
 * Allocates one bin. The mountpoint's root belongs to the storage service's user, who could put a link or a
 * FIFO where a bin goes between planning and this step; so the bin is created in the opened mountpoint
 * (O_CREAT|O_EXCL|O_NOFOLLOW), checked right before to be a regular file on the mounted filesystem, and
 * allocated by {@code xfs_io} through a descriptor it opens with O_NOFOLLOW ({@code open -L}): a link there
 * fails to open, a hard link cannot cross filesystems, and {@code falloc} refuses anything but a file.
 */
record AllocateBinStep(Path mountpoint, String bin, long bytes) implements Step {
    @Override
    public String description() {
        return "allocate " + bytes + " bytes to " + mountpoint.resolve(bin);
    }

    @Override
    public List<String> argv() {
        return command().argv();
    }

    private ExecStep command() {
        return ExecStep.of("xfs_io", "-c", "open -L " + mountpoint.resolve(bin), "-c", "falloc 0 " + bytes);
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        long start = System.nanoTime();
        try (DirectoryWalk mnt = DirectoryWalk.into(mountpoint)) {
            Path name = Path.of(bin);
            try {
                mnt.directory().newByteChannel(name, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)).close();
            } catch (FileAlreadyExistsException e) {
                // a short bin from an earlier run, completed below
            }
            PosixFileAttributes a = mnt.attributesOrNull(name);
            Path file = mountpoint.resolve(bin);
            if (a == null || !a.isRegularFile()) {
                throw refuse(file + " is " + (a == null ? "gone" : a.isSymbolicLink() ? "a symbolic link" : "not a regular file")
                        + "; refusing to allocate it", start);
            }
            Object fsOfMount = Files.getAttribute(mountpoint, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Object fsOfBin = Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            if (!fsOfMount.equals(fsOfBin)) {
                throw refuse(file + " is not on the filesystem mounted at " + mountpoint + "; refusing to allocate it", start);
            }
        } catch (IOException e) {
            throw refuse(description() + " failed: " + e.getMessage(), start);
        }
        return command().apply(ctx);
    }

    private StepFailedException refuse(String msg, long start) {
        return new StepFailedException(msg, new StepResult(description(), List.of(), 1, "", msg,
                (System.nanoTime() - start) / 1_000_000));
    }
}
