package dev.rigger.protocol;

/** The protocol version every message carries as {@code "v"}; a peer refuses a version it does not speak. */
public final class ProtocolVersion {
    public static final int V1 = 1;
    public static final int CURRENT = V1;

    private ProtocolVersion() {
    }
}
