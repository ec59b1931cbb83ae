package dev.rigger.agent.modules;

/**
 * Makes a module known to the agent: listed in {@code META-INF/services/dev.rigger.agent.modules.ModuleProvider}
 * and found with {@link java.util.ServiceLoader}.
 */
public interface ModuleProvider {
    /** The name playbooks use, e.g. {@code mount}. */
    String name();

    AgentModule create();
}
