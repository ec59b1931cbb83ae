package dev.rigger.controller.serve;

import dev.rigger.controller.run.RunOptions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a user asks of a run, whether {@code rigger play} runs it here or hands it to {@code rigger serve}
 * ({@code POST /api/runs}, this record as JSON): which playbook (for the server, a file name under its
 * playbooks directory), which hosts, whether to change anything, and variables that override the
 * playbook's; the rest as {@code rigger play}'s options of the same names. {@link #runOptions} adds what
 * the controller that runs it decides.
 */
public record RunRequest(String playbook, String limit, boolean check, Map<String, Object> extraVars,
                         List<String> tags, List<String> skipTags, boolean diff, Integer forks, boolean retryFailed) {
    public RunRequest {
        // in the user's order, and a null value stays a variable set to null
        extraVars = extraVars == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extraVars));
        tags = tags == null ? List.of() : List.copyOf(tags);
        skipTags = skipTags == null ? List.of() : List.copyOf(skipTags);
    }

    public RunRequest(String playbook, String limit, boolean check, Map<String, Object> extraVars) {
        this(playbook, limit, check, extraVars, List.of(), List.of(), false, null, false);
    }

    /** The same request for a playbook the server knows by another name. */
    public RunRequest withPlaybook(String name) {
        return new RunRequest(name, limit, check, extraVars, tags, skipTags, diff, forks, retryFailed);
    }

    /**
     * The executor's options for this request.
     *
     * @param retryOnly with {@code retryFailed}, per play the hosts whose last run of it failed; null otherwise
     */
    public RunOptions runOptions(Path stateDir, boolean trustNewHosts, boolean verbose, Map<String, Set<String>> retryOnly,
                                 int taskTimeoutSec) {
        return new RunOptions(limit, check, diff, forks, extraVars, verbose, stateDir, trustNewHosts, Set.copyOf(tags),
                Set.copyOf(skipTags), retryOnly, taskTimeoutSec);
    }
}
