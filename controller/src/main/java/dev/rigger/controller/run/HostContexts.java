package dev.rigger.controller.run;

import dev.rigger.playbook.Play;
import dev.rigger.playbook.Playbook;
import dev.rigger.playbook.TemplateContext;
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
    private final RunHosts all;
    private final List<String> playHosts;
    private final Map<String, Object> extraVars;

    HostContexts(Playbook playbook, Play play, RunHosts all, List<String> playHosts, Map<String, Object> extraVars) {
        this.playbook = playbook;
        this.play = play;
        this.all = all;
        this.playHosts = playHosts;
        this.extraVars = extraVars;
    }

    /** @param item the loop item, or null outside loops */
    Map<String, Object> of(HostRun host, Object item) {
        TemplateContext.Builder b = TemplateContext.builder()
                .playbookVars(playbook.vars())
                .hostVars(host.host.vars())
                .playVars(play.vars())
                .registered(host.registered)
                .extraVars(extraVars)
                .facts(host.factsView())
                .inventoryHostname(host.name())
                .hostvars(hostvars())
                .groups(all.inventory().groups())
                .playHosts(playHosts);
        if (item != null) {
            b.item(item);
        }
        return b.build();
    }

    /** Ansible's {@code hostvars}: every host's vars, registered results, address and facts. */
    private Map<String, Object> hostvars() {
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (HostRun other : all.all().values()) {
            Map<String, Object> v = new HashMap<>(other.host.vars());
            v.putAll(other.registered);
            v.put(TemplateContext.INVENTORY_HOSTNAME, other.name());
            v.put("address", other.host.address());
            v.put(TemplateContext.FACTS, other.factsView());
            hostvars.put(other.name(), v);
        }
        return hostvars;
    }
}
