package dev.rigger.agent;

import dev.rigger.agent.testing.Modules;
import dev.rigger.protocol.RunTask;

/** Opens {@link TaskDispatcher#deviceKey} to tests in other packages. */
public final class TaskDispatcherKeys {
    private TaskDispatcherKeys() {
    }

    public static String of(String module, String device) {
        return TaskDispatcher.deviceKey(RunTask.of("k", "h", module,
                Modules.args("{\"device\":" + Modules.q(device) + "}"), false, false, 0));
    }
}
