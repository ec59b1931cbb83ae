package dev.rigger.playbook;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the context one task sees on one host, with the precedence written down once
 * (lowest first): playbook vars, inventory host vars, play vars, registered results, extra vars ({@code -e}).
 * The fixed keys ({@link #FACTS}, {@link #INVENTORY_HOSTNAME}, ...) are set last and cannot be shadowed.
 * Playbook, inventory and play vars may hold templates themselves; they are rendered when a template reads
 * them. Extra vars are data: a {@code {{ }}} in one stays that text.
 *
 * <pre>{@code
 * Map<String, Object> ctx = TemplateContext.builder()
 *         .playbookVars(playbook.vars()).hostVars(host.vars()).playVars(play.vars())
 *         .registered(resultsOfThisHost).extraVars(extraVars)
 *         .facts(factsJson).inventoryHostname("node1")
 *         .hostvars(hostvars).groups(groups).playHosts(playHosts)
 *         .item(item)                      // only while looping
 *         .build();
 * }</pre>
 */
public final class TemplateContext {

    /** the host's facts, as the agent reports them */
    public static final String FACTS = "facts";
    /** the current element of a task's {@code loop} */
    public static final String ITEM = "item";
    /** host name to that host's variables: its facts under {@code facts}, its registered results */
    public static final String HOSTVARS = "hostvars";
    /** group name to the list of host names; {@code all} holds every host */
    public static final String GROUPS = "groups";
    /** the names of the hosts of the current play, after --limit */
    public static final String PLAY_HOSTS = "play_hosts";
    /** the name of the host the task runs for */
    public static final String INVENTORY_HOSTNAME = "inventory_hostname";

    /** Names a {@code register} or a var may not take, because the context defines them. */
    public static final Set<String> RESERVED = Set.of(FACTS, ITEM, HOSTVARS, GROUPS, PLAY_HOSTS, INVENTORY_HOSTNAME);

    private TemplateContext() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the layers; any value is converted with {@link Templates#toContextValue(Object)}. */
    public static final class Builder {
        private final Map<String, Object> playbookVars = new HashMap<>();
        private final Map<String, Object> hostVars = new HashMap<>();
        private final Map<String, Object> playVars = new HashMap<>();
        private final Map<String, Object> registered = new HashMap<>();
        private final Map<String, Object> extraVars = new HashMap<>();
        private final Map<String, Object> fixed = new HashMap<>();

        private Builder() {
        }

        public Builder playbookVars(Map<String, ?> vars) {
            return into(playbookVars, vars);
        }

        public Builder hostVars(Map<String, ?> vars) {
            return into(hostVars, vars);
        }

        public Builder playVars(Map<String, ?> vars) {
            return into(playVars, vars);
        }

        /** Results of earlier tasks on this host, by their {@code register} name. */
        public Builder registered(Map<String, ?> results) {
            return into(registered, results);
        }

        public Builder register(String name, Object result) {
            registered.put(name, Templates.toContextValue(result));
            return this;
        }

        public Builder extraVars(Map<String, ?> vars) {
            return into(extraVars, vars);
        }

        public Builder facts(Object facts) {
            fixed.put(FACTS, Templates.toContextValue(facts));
            return this;
        }

        public Builder inventoryHostname(String name) {
            fixed.put(INVENTORY_HOSTNAME, name);
            return this;
        }

        public Builder hostvars(Map<String, ?> hostvars) {
            fixed.put(HOSTVARS, Templates.toContextValue(hostvars));
            return this;
        }

        public Builder groups(Map<String, List<String>> groups) {
            fixed.put(GROUPS, Templates.toContextValue(groups));
            return this;
        }

        public Builder playHosts(List<String> hosts) {
            fixed.put(PLAY_HOSTS, Templates.toContextValue(hosts));
            return this;
        }

        public Builder item(Object item) {
            fixed.put(ITEM, Templates.toContextValue(item));
            return this;
        }

        /**
         * The context. Vars that hold templates are rendered when first read, against this context
         * (extra vars, results, facts and fixed keys are data and never rendered).
         */
        public Map<String, Object> build() {
            Map<String, Object> context = new HashMap<>(playbookVars);
            context.putAll(hostVars);
            context.putAll(playVars);
            Set<String> templated = new HashSet<>();
            context.forEach((k, v) -> {
                if (VarsContext.holdsTemplate(v)) {
                    templated.add(k);
                }
            });
            registered.keySet().forEach(templated::remove);
            context.putAll(registered);
            // extra vars come from the command line or the API: data, never rendered, whatever they hold
            extraVars.keySet().forEach(templated::remove);
            context.putAll(extraVars);
            fixed.keySet().forEach(templated::remove);
            context.putAll(fixed);
            return new VarsContext(context, templated);
        }

        private Builder into(Map<String, Object> layer, Map<String, ?> values) {
            values.forEach((k, v) -> layer.put(k, Templates.toContextValue(v)));
            return this;
        }
    }
}
