package dev.rigger.protocol;

/** Agent -> controller: the result of a {@link RunTask}. */
public record TaskResult(int v, String taskId, String host, ModuleResult result) {
    public static TaskResult of(String taskId, String host, ModuleResult result) {
        return new TaskResult(ProtocolVersion.CURRENT, taskId, host, result);
    }
}
