package dev.rigger.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Controller -> agent: run one module with rendered arguments.
 *
 * @param check plan only, change nothing
 * @param diff  include before/after in the result
 */
public record RunTask(int v, String taskId, String host, String module, ObjectNode args,
                      boolean check, boolean diff, int timeoutSec) {
    public static RunTask of(String taskId, String host, String module, ObjectNode args,
                             boolean check, boolean diff, int timeoutSec) {
        return new RunTask(ProtocolVersion.CURRENT, taskId, host, module, args, check, diff, timeoutSec);
    }
}
