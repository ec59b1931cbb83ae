package dev.rigger.agent.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.modules.ModuleRunner;
import dev.rigger.agent.modules.TaskOptions;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;

/** Runs modules through {@link ModuleRunner} the way the agent runs a task from the bridge. */
public final class Modules {
    private static final ModuleRunner RUNNER = new ModuleRunner();

    private Modules() {
    }

    public static ModuleResult apply(String module, String argsJson) {
        return RUNNER.run(module, args(argsJson), TaskOptions.apply());
    }

    public static ModuleResult check(String module, String argsJson) {
        return RUNNER.run(module, args(argsJson), TaskOptions.checkOnly());
    }

    public static ObjectNode args(String json) {
        try {
            return (ObjectNode) ProtocolJson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + json, e);
        }
    }

    /** JSON string literal of a value, for building args. */
    public static String q(String s) {
        try {
            return ProtocolJson.MAPPER.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
