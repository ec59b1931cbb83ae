package dev.rigger.agent.modules;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A host module. It only plans: it reads the host through {@link ModuleContext} and returns the steps
 * that would bring the host to the wanted state; {@link ModuleRunner} applies them, or not in check mode.
 * Planning must change nothing.
 */
public interface AgentModule {
    /**
     * @throws ArgsException   an argument is missing or has the wrong type
     * @throws ModuleException the module refuses (e.g. a device holds data) or cannot find its target
     */
    Plan plan(ObjectNode args, ModuleContext ctx);
}
