package dev.rigger.agent.facts;

import java.time.Instant;

/**
 * The body of one facts collector. {@code deadline} comes a little before the collector's own, so a
 * gatherer that bounds its commands by it can still report what it found as a partial result.
 */
@FunctionalInterface
interface FactGatherer {
    Gathered gather(Instant deadline) throws Exception;
}
