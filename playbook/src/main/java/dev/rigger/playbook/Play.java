package dev.rigger.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One play: tasks run in order over the hosts that {@code hosts} selects.
 *
 * @param hosts          a {@link HostPattern}
 * @param maxFailPercent the run stops when more than this share of the play's hosts failed; 100 never stops
 * @param gatherFacts    facts are gathered afresh when the play connects its hosts (Ansible's
 *                       {@code gather_facts}); false uses what the host's agent reported last
 * @param pointer        JSON pointer of the play in its playbook, e.g. {@code /plays/1}
 */
public record Play(String name, String hosts, Strategy strategy, int forks, double maxFailPercent,
                   boolean gatherFacts, Map<String, Object> vars, List<Task> tasks, String pointer) {

    public static final int DEFAULT_FORKS = 20;
    public static final double DEFAULT_MAX_FAIL_PERCENT = 100;

    /** How hosts move through the tasks of a play. */
    public enum Strategy {
        /** every host finishes a task before any host starts the next */
        LINEAR,
        /** each host runs ahead on its own */
        FREE
    }

    public Play {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        tasks = List.copyOf(tasks);
    }
}
