package dev.rigger.controller.run;

import java.util.function.Consumer;

/**
 * Where a run learns that its hosts' agents are alive. A {@link HostConnector} whose agents send
 * heartbeats implements it too, and the run shows them in its event stream.
 */
public interface HeartbeatSource {
    /**
     * Calls {@code host} with a host's name at most once per heartbeat interval while it is alive.
     *
     * @return stops the calls
     */
    Runnable onHeartbeat(Consumer<String> host);
}
