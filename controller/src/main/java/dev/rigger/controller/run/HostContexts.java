package dev.rigger.controller.run;

import dev.rigger.playbook.Play;
import dev.rigger.playbook.Playbook;
import dev.rigger.playbook.TemplateContext;
import dev.rigger.playbook.Templates;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds what the templates of a task on one host see, through the playbook language's own
 * {@link TemplateContext}; this class only knows where the run keeps each piece.
 */
final class HostContexts {
    private final Playbook playbook;
    private final Play play;
    private final RunHostRegistry all;
    private final List<String> playHosts;
    private final Map<String, Object> extraVars;
    private Map<String, ?> cachedHostvars;
    private long cachedKey;

    HostContexts(Playbook playbook, Play play, RunHostRegistry all, List<String> playHosts, Map<String, Object> extraVars) {
        this.playbook = playbook;
        this.play = play;
        this.all = all;
        this.playHosts = playHosts;
        this.extraVars = extraVars;
    }

    /** @param item the loop item, or null outside loops */
    Map<String, Object> of(HostRunState host, Object item) {
        TemplateContext.Builder b = TemplateContext.builder()
                .playbookVars(playbook.vars())
                .hostVars(host.host.vars())
                .playVars(play.vars())
                .registered(host.registered())
                .extraVars(extraVars)
                .facts(host.factsContext())
                .inventoryHostname(host.name())
                .hostvars(hostvars())
                .groups(all.inventory().groups())
                .playHosts(playHosts);
        if (item != null) {
            b.item(item);
        }
        return b.build();
    }

    /**
     * Ansible's {@code hostvars}: every host's vars, registered results, address and facts. Converting them for
     * the templates costs O(hosts) per task and host, so the converted whole is kept until a host's facts or
     * registered results change (at 50 hosts this was half the controller's CPU).
     */
    @SuppressWarnings("unchecked")
    private synchronized Map<String, ?> hostvars() {
        long key = 17;
        for (HostRunState other : all.all().values()) {
            key = key * 31 + System.identityHashCode(other);
            key = key * 31 + other.version();
        }
        if (cachedHostvars != null && key == cachedKey) {
            return cachedHostvars;
        }
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (HostRunState other : all.all().values()) {
            Map<String, Object> v = new HashMap<>(other.host.vars());
            v.putAll(other.registered());
            v.put(TemplateContext.INVENTORY_HOSTNAME, other.name());
            v.put("address", other.host.address());
            v.put(TemplateContext.FACTS, other.factsView());
            hostvars.put(other.name(), v);
        }
        cachedHostvars = (Map<String, ?>) Templates.toContextValue(hostvars);
        cachedKey = key;
        return cachedHostvars;
    }
}
