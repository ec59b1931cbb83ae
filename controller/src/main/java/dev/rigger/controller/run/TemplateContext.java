package dev.rigger.controller.run;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What templates of a task on one host can see: vars (playbook, play, host, then -e, which wins),
 * {@code facts}, registered results, {@code inventory_hostname}, and, as Ansible users expect,
 * {@code hostvars}, {@code groups} and {@code play_hosts} to reach the other hosts.
 */
final class TemplateContext {

    static Map<String, Object> build(HostRun host, Map<String, HostRun> all, List<String> playHosts,
                                     Map<String, List<String>> groups, Map<String, Object> playbookVars,
                                     Map<String, Object> playVars, Map<String, Object> extraVars) {
        Map<String, Object> ctx = new HashMap<>();
        ctx.putAll(playbookVars);
        ctx.putAll(playVars);
        ctx.putAll(host.host.vars());
        ctx.putAll(host.registered);
        ctx.putAll(extraVars);
        ctx.put("inventory_hostname", host.name());
        ctx.put("facts", factsOf(host));
        ctx.put("groups", groups);
        ctx.put("play_hosts", playHosts);
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (HostRun other : all.values()) {
            Map<String, Object> v = new HashMap<>(other.host.vars());
            v.putAll(other.registered);
            v.put("inventory_hostname", other.name());
            v.put("address", other.host.address());
            v.put("facts", factsOf(other));
            hostvars.put(other.name(), v);
        }
        ctx.put("hostvars", hostvars);
        return ctx;
    }

    private static Map<String, Object> factsOf(HostRun host) {
        return host.factsView();
    }

    private TemplateContext() {
    }
}
