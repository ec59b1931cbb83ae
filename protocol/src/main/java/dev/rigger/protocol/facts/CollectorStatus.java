package dev.rigger.protocol.facts;

/**
 * How one facts collector fared in the gather that produced a {@link HostFacts}.
 *
 * @param status {@code ok} (all its fields filled), {@code partial} (some filled, {@code error} says which
 *               are missing), {@code timedOut} (its deadline passed: its fields are empty or null) or
 *               {@code failed} (it threw: its fields are empty or null)
 * @param tookMs wall time of the collector, or the time waited for it when it timed out
 * @param error  what went wrong, naming the path or command; null when {@code ok}
 */
public record CollectorStatus(String status, long tookMs, String error) {
    public static final String OK = "ok";
    public static final String PARTIAL = "partial";
    public static final String TIMED_OUT = "timedOut";
    public static final String FAILED = "failed";

    public static CollectorStatus ok(long tookMs) {
        return new CollectorStatus(OK, tookMs, null);
    }

    public static CollectorStatus partial(long tookMs, String error) {
        return new CollectorStatus(PARTIAL, tookMs, error);
    }

    public static CollectorStatus timedOut(long tookMs, String error) {
        return new CollectorStatus(TIMED_OUT, tookMs, error);
    }

    public static CollectorStatus failed(long tookMs, String error) {
        return new CollectorStatus(FAILED, tookMs, error);
    }
}
