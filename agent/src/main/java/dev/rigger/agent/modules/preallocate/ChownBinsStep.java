package dev.rigger.agent.modules.preallocate;

import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.agent.modules.step.Owners;
import dev.rigger.protocol.StepResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Gives the bins to the user the storage service runs as (444:444 on ECS). */
record ChownBinsStep(Path mountpoint, List<String> bins, String owner, String group) implements Step {
    @Override
    public String description() {
        return "chown " + (owner == null ? "" : owner) + (group == null ? "" : ":" + group) + " "
                + mountpoint + "/{" + Bins.range(bins) + "}";
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        long start = System.nanoTime();
        for (String bin : bins) {
            Path file = mountpoint.resolve(bin);
            try {
                Owners.setOwner(file, owner, group);
            } catch (IOException e) {
                throw new StepFailedException("chown " + file + " failed: " + e, new StepResult(description(), List.of(), 1, "",
                        e.toString(), (System.nanoTime() - start) / 1_000_000));
            }
        }
        return new StepResult(description(), List.of(), 0, "", "", (System.nanoTime() - start) / 1_000_000);
    }
}
