package dev.rigger.agent.modules.step;

import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.nio.file.Path;
import java.util.List;

/**
 * Fails unless the device exists. Planned where the device is missing now but an earlier task of the
 * same run would create it: check mode then reports the change, and a real run fails here, by name.
 */
public final class RequireBlockDeviceStep extends NativeStep {
    private final String device;

    public RequireBlockDeviceStep(String device) {
        this.device = device;
    }

    @Override
    public String description() {
        return "require block device " + device;
    }

    @Override
    protected String run(StepContext ctx) throws StepFailedException {
        if (BlockDeviceFacts.liveMajMin(Path.of(device)) == null) {
            throw new StepFailedException("device " + device + " does not exist (expected a block device)",
                    new StepResult(description(), List.of(), 1, "", device + ": no such block device", 0));
        }
        return null;
    }
}
