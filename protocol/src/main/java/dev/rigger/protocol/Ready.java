package dev.rigger.protocol;

/**
 * Published by the agent right after it registered {@link Addresses#tasks(String)}. The bridge never
 * acknowledges a register, and frames are handled in order, so this tells the controller it may send tasks.
 */
public record Ready(int v, String host) {
    public static Ready of(String host) {
        return new Ready(ProtocolVersion.CURRENT, host);
    }
}
