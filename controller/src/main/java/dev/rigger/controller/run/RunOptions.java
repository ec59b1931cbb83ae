package dev.rigger.controller.run;

import dev.rigger.controller.state.PlayKey;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to run a playbook.
 *
 * @param limit  host pattern that narrows every play's hosts, or null
 * @param forks  overrides every play's {@code forks} when not null
 * @param tags   run only tasks with one of these tags (empty: all)
 * @param retryOnly with --retry-failed, per play the hosts whose last run of it failed
 * @param defaultTimeoutSec the deadline of a task that sets no {@code timeoutSec} (the agent kills it there);
 *                          0 for none
 */
public record RunOptions(String limit, boolean check, boolean diff, Integer forks, Map<String, Object> extraVars,
                         boolean verbose, Path stateDir, boolean trustNewHosts, Set<String> tags, Set<String> skipTags,
                         Map<String, Set<String>> retryOnly, int defaultTimeoutSec) {

    /** One hour, as Ansible's async default: long enough for any real task, short enough that a hung one ends. */
    public static final int DEFAULT_TASK_TIMEOUT_SEC = 3600;

    public RunOptions(String limit, boolean check, boolean diff, Integer forks, Map<String, Object> extraVars,
                      boolean verbose, Path stateDir, boolean trustNewHosts, Set<String> tags, Set<String> skipTags,
                      Map<String, Set<String>> retryOnly) {
        this(limit, check, diff, forks, extraVars, verbose, stateDir, trustNewHosts, tags, skipTags, retryOnly,
                DEFAULT_TASK_TIMEOUT_SEC);
    }

    /**
     * With --retry-failed: the hosts a play may run on; null runs every selected host. A state an older rigger
     * wrote keys plays unescaped: those keys count too (a {@code /} in names may then retry a host that only
     * failed a namesake play, never miss one that failed this one).
     */
    public List<String> retryFilter(PlayKey play, List<String> selected) {
        if (retryOnly == null) {
            return selected;
        }
        Set<String> failed = new HashSet<>(retryOnly.getOrDefault(play.encoded(), Set.of()));
        failed.addAll(retryOnly.getOrDefault(play.legacy(), Set.of()));
        return selected.stream().filter(failed::contains).toList();
    }

    /** As Ansible's --tags/--skip-tags: with tags given only tasks carrying one of them run; skipped tags never run. */
    public boolean selects(List<String> taskTags) {
        if (taskTags.stream().anyMatch(skipTags::contains)) {
            return false;
        }
        return tags.isEmpty() || taskTags.stream().anyMatch(tags::contains);
    }
}
