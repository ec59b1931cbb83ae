package dev.rigger.protocol;

/** The controller's answer to a valid {@link Hello}: the agent may register its task address. */
public record Welcome(int v, String host, int heartbeatSec) {
    public static Welcome of(String host, int heartbeatSec) {
        return new Welcome(ProtocolVersion.CURRENT, host, heartbeatSec);
    }
}
