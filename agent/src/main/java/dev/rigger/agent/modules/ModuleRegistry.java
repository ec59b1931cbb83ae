package dev.rigger.agent.modules;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The modules found through {@link ServiceLoader}, by name. */
public final class ModuleRegistry {
    private final Map<String, ModuleProvider> providers = new TreeMap<>();

    private ModuleRegistry() {
    }

    public static ModuleRegistry load() {
        ModuleRegistry registry = new ModuleRegistry();
        for (ModuleProvider p : ServiceLoader.load(ModuleProvider.class, ModuleRegistry.class.getClassLoader())) {
            registry.providers.put(p.name(), p);
        }
        return registry;
    }

    public Optional<AgentModule> create(String name) {
        ModuleProvider p = providers.get(name);
        return p == null ? Optional.empty() : Optional.of(p.create());
    }

    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(providers.keySet());
    }
}
