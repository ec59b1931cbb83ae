package dev.rigger.protocol;

/** Agent -> controller: one line a running task printed, as it happens. */
public record TaskOutput(int v, String taskId, String host, Stream stream, String line) {
    public enum Stream { stdout, stderr }

    public static TaskOutput of(String taskId, String host, Stream stream, String line) {
        return new TaskOutput(ProtocolVersion.CURRENT, taskId, host, stream, line);
    }
}
