package dev.rigger.controller.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to run a playbook.
 *
 * @param limit  host pattern that narrows every play's hosts, or null
 * @param forks  overrides every play's {@code forks} when not null
 */
public record RunOptions(String limit, boolean check, boolean diff, Integer forks, Map<String, Object> extraVars,
                         boolean verbose, Path stateDir, boolean trustNewHosts) {
}
