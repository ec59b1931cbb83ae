package dev.rigger.controller.agents;

/**
 * The host of a running task went silent: no heartbeat, output or result for longer than the loss
 * threshold. Unlike {@link AgentGoneException} (the agent said bye or its process ended) nobody knows
 * whether the task still runs there; the host is frozen, cut off or down.
 */
public class AgentLostException extends AgentGoneException {
    private final String host;
    private final String module;
    private final long silentMs;

    public AgentLostException(String host, String module, long silentMs, long lostAfterMs) {
        super(host + " fell silent while running " + module + ": nothing from its agent for "
                + seconds(silentMs) + " s (lost after " + seconds(lostAfterMs) + " s without a heartbeat)");
        this.host = host;
        this.module = module;
        this.silentMs = silentMs;
    }

    /** For a task sent after the host was already lost. */
    public AgentLostException(String host, String module, String earlier) {
        super(host + " was lost earlier in this run (" + earlier + "); " + module + " was not sent");
        this.host = host;
        this.module = module;
        this.silentMs = 0;
    }

    public String host() {
        return host;
    }

    /** The module of the task that was waiting when the host went silent. */
    public String module() {
        return module;
    }

    public long silentMs() {
        return silentMs;
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0);
    }
}
