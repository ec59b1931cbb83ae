package dev.rigger.protocol;

/** Agent -> controller, every few seconds: the agent is alive and how many tasks it is running. */
public record Heartbeat(int v, String host, long seq, int runningTasks) {
    public static Heartbeat of(String host, long seq, int runningTasks) {
        return new Heartbeat(ProtocolVersion.CURRENT, host, seq, runningTasks);
    }
}
