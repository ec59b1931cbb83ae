package dev.rigger.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One task as written, before templates are rendered.
 *
 * @param args       module arguments; strings may hold templates ({@link Templates#render})
 * @param when       a bare condition ({@link Templates#test}), or null to always run
 * @param register   the variable later tasks see this task's result under, or null
 * @param loop       null, an array, or a template string that renders to one; each element runs as {@code item}
 * @param retries    further attempts after a failure (0: none)
 * @param timeoutSec null for the module's own timeout
 * @param noLog      as Ansible's {@code no_log}: the task's output and result are hidden wherever the run reports
 * @param pointer    JSON pointer of the task, e.g. {@code /plays/0/tasks/3}; runtime errors name it too
 */
public record Task(String name, String module, ObjectNode args, String when, String register, JsonNode loop,
                   int retries, double delaySec, Integer timeoutSec, boolean ignoreErrors, boolean noLog,
                   List<String> tags, String pointer) {

    public static final int DEFAULT_RETRIES = 0;
    public static final double DEFAULT_DELAY_SEC = 1;

    public Task {
        tags = List.copyOf(tags);
    }

    public boolean hasLoop() {
        return loop != null;
    }
}
