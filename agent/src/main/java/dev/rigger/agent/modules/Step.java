package dev.rigger.agent.modules;

import dev.rigger.protocol.StepResult;
import java.util.List;

/** One change a plan makes: a value that describes itself and, when the runner says so, applies itself. */
public interface Step {
    /** What the step does, for people: {@code mkfs.xfs /dev/xvdf1}, {@code write /etc/fstab}. */
    String description();

    /** The command the step runs, or empty for a change made from Java. */
    default List<String> argv() {
        return List.of();
    }

    StepResult apply(StepContext ctx) throws StepFailedException;
}
