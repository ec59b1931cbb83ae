package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** A step done from Java (no command): times it and turns an I/O error into a failure that names the step. */
abstract class NativeStep implements Step {
    @Override
    public final StepResult apply(StepContext ctx) throws StepFailedException {
        long start = System.nanoTime();
        try {
            String note = run(ctx);
            return new StepResult(description(), List.of(), 0, note == null ? "" : note, "", since(start));
        } catch (IOException e) {
            String msg = description() + " failed: " + reason(e);
            throw new StepFailedException(msg, new StepResult(description(), List.of(), 1, "", e.toString(), since(start)));
        }
    }

    /**
     * What went wrong, in the system's words ("No space left on device") rather than as a Java class name.
     * Some exceptions carry only a path; they get the words their type stands for.
     */
    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() == null) {
            String what = e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e.getClass().getSimpleName();
            return f.getFile() + ": " + what;
        }
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.toString();
    }

    /** Does the work; may return a note for the step's stdout. */
    protected abstract String run(StepContext ctx) throws IOException, StepFailedException;

    static long since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
