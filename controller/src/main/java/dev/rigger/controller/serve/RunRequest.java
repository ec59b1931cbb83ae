package dev.rigger.controller.serve;

import java.util.Map;

/**
 * {@code POST /api/runs}: which playbook (a file name under the server's playbooks directory), which
 * hosts, whether to change anything, and variables that override the playbook's.
 */
public record RunRequest(String playbook, String limit, boolean check, Map<String, Object> extraVars) {
    public RunRequest {
        extraVars = extraVars == null ? Map.of() : Map.copyOf(extraVars);
    }
}
