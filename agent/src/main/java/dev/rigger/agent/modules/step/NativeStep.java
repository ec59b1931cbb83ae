package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.io.IOException;
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
            String msg = description() + " failed: " + e;
            throw new StepFailedException(msg, new StepResult(description(), List.of(), 1, "", e.toString(), since(start)));
        }
    }

    /** Does the work; may return a note for the step's stdout. */
    protected abstract String run(StepContext ctx) throws IOException, StepFailedException;

    static long since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
