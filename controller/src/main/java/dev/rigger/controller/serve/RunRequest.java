package dev.rigger.controller.serve;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/runs}: which playbook (a file name under the server's playbooks directory), which
 * hosts, whether to change anything, and variables that override the playbook's; the rest as
 * {@code rigger play}'s options of the same names.
 */
public record RunRequest(String playbook, String limit, boolean check, Map<String, Object> extraVars,
                         List<String> tags, List<String> skipTags, boolean diff, Integer forks, boolean retryFailed) {
    public RunRequest {
        extraVars = extraVars == null ? Map.of() : Map.copyOf(extraVars);
        tags = tags == null ? List.of() : List.copyOf(tags);
        skipTags = skipTags == null ? List.of() : List.copyOf(skipTags);
    }

    public RunRequest(String playbook, String limit, boolean check, Map<String, Object> extraVars) {
        this(playbook, limit, check, extraVars, List.of(), List.of(), false, null, false);
    }
}
