package dev.rigger.protocol;

/**
 * Controller -> agent: stop a {@link RunTask} the controller no longer waits for (the run was cancelled,
 * or the controller gave up on the task). The agent kills the task's commands and everything they
 * started; a task not started yet never starts. An unknown task id is ignored.
 */
public record CancelTask(int v, String taskId, String host, String reason) {
    public static CancelTask of(String taskId, String host, String reason) {
        return new CancelTask(ProtocolVersion.CURRENT, taskId, host, reason);
    }
}
