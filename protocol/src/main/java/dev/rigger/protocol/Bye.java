package dev.rigger.protocol;

/** Agent -> controller: the agent is stopping, and why. */
public record Bye(int v, String host, String reason) {
    public static Bye of(String host, String reason) {
        return new Bye(ProtocolVersion.CURRENT, host, reason);
    }
}
