package dev.rigger.controller.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HeartbeatWatchdogTest {
    private static final long LOST_AFTER = 4_000;
    private static final long TICK = HeartbeatWatchdog.tickMillis(LOST_AFTER);

    /** Ticks every {@link #TICK} from {@code from} to {@code to}, as the registry's timer does. */
    private static java.util.List<HeartbeatWatchdog.Silence> tickUntil(HeartbeatWatchdog w, long from, long to,
                                                                       Set<String> busy) {
        java.util.List<HeartbeatWatchdog.Silence> last = java.util.List.of();
        for (long t = from; t <= to; t += TICK) {
            last = w.tick(t, busy);
            if (!last.isEmpty()) {
                return last;
            }
        }
        return last;
    }

    @Test
    void aBusyHostSilentForTheThresholdIsLostWithHowLongItWasSilent() {
        HeartbeatWatchdog w = new HeartbeatWatchdog(LOST_AFTER, TICK);
        w.heard("node2", 10_000);

        assertThat(w.tick(10_000 + LOST_AFTER - TICK, Set.of("node2"))).as("not yet").isEmpty();
        var lost = w.tick(10_000 + LOST_AFTER, Set.of("node2"));

        assertThat(lost).containsExactly(new HeartbeatWatchdog.Silence("node2", LOST_AFTER));
    }

    @Test
    void aHostThatHeartbeatsAgainBeforeTheThresholdIsNeverLost() {
        HeartbeatWatchdog w = new HeartbeatWatchdog(LOST_AFTER, TICK);
        w.heard("node1", 0);
        for (long t = TICK; t <= 60_000; t += TICK) {
            if (t % 3_000 == 0) {
                // heartbeats 3 s apart: slow, but inside the 4 s threshold
                w.heard("node1", t);
            }
            assertThat(w.tick(t, Set.of("node1"))).as("at %d ms", t).isEmpty();
        }
    }

    @Test
    void anIdleHostIsNotLostHoweverLongItIsSilentButIsAsSoonAsItIsBusyAndStillSilent() {
        HeartbeatWatchdog w = new HeartbeatWatchdog(LOST_AFTER, TICK);
        w.heard("node1", 0);

        assertThat(tickUntil(w, TICK, 30_000, Set.of())).isEmpty();
        var lost = w.tick(30_000 + TICK, Set.of("node1"));

        assertThat(lost).extracting(HeartbeatWatchdog.Silence::host).containsExactly("node1");
        assertThat(lost.get(0).silentMs()).isEqualTo(30_000 + TICK);
    }

    @Test
    void onlyTheSilentHostOfSeveralBusyOnesIsLost() {
        HeartbeatWatchdog w = new HeartbeatWatchdog(LOST_AFTER, TICK);
        w.heard("node1", 0);
        w.heard("node2", 0);
        java.util.List<HeartbeatWatchdog.Silence> lost = java.util.List.of();
        for (long t = TICK; lost.isEmpty() && t <= 20_000; t += TICK) {
            w.heard("node1", t);
            lost = w.tick(t, Set.of("node1", "node2"));
        }
        assertThat(lost).extracting(HeartbeatWatchdog.Silence::host).containsExactly("node2");
    }

    @Test
    void aHostNeverHeardFromStartsItsClockWhenItIsFirstSeenBusy() {
        HeartbeatWatchdog w = new HeartbeatWatchdog(LOST_AFTER, TICK);

        assertThat(w.tick(50_000, Set.of("fresh"))).isEmpty();
        assertThat(tickUntil(w, 50_000 + TICK, 50_000 + LOST_AFTER - TICK, Set.of("fresh"))).isEmpty();
        assertThat(w.tick(50_000 + LOST_AFTER, Set.of("fresh"))).hasSize(1);
    }

    @Test
    void whenTheControllerItselfStoodStillTheHostsAreGivenAFreshClockInsteadOfTheBlame() {
        HeartbeatWatchdog w = new HeartbeatWatchdog(LOST_AFTER, TICK);
        w.heard("node1", 0);
        w.tick(TICK, Set.of("node1"));

        // the next tick comes 10 s late: the heartbeats of that time may still sit in the queue
        assertThat(w.tick(TICK + 10_000, Set.of("node1"))).isEmpty();
        assertThat(tickUntil(w, 2 * TICK + 10_000, TICK + 10_000 + LOST_AFTER - TICK, Set.of("node1"))).isEmpty();
        assertThat(w.tick(TICK + 10_000 + LOST_AFTER, Set.of("node1"))).as("still silent after the fresh clock").hasSize(1);
    }

    @Test
    void aForgottenHostStartsOverAndAHeartbeatFromThePastCannotMoveItsClockBack() {
        HeartbeatWatchdog w = new HeartbeatWatchdog(LOST_AFTER, TICK);
        w.heard("node1", 5_000);
        w.heard("node1", 1_000);
        assertThat(w.tick(5_000 + LOST_AFTER - 1, Set.of("node1"))).isEmpty();

        w.forget("node1");
        assertThat(w.tick(5_000 + LOST_AFTER, Set.of("node1"))).as("clock restarted by forget").isEmpty();
    }

    @Test
    void aZeroThresholdNeverDeclaresAHostLost() {
        HeartbeatWatchdog w = new HeartbeatWatchdog(0, 1000);
        w.heard("node1", 0);

        assertThat(w.enabled()).isFalse();
        assertThat(w.tick(1_000_000, Set.of("node1"))).isEmpty();
    }

    @Test
    void theCheckRunsAFewTimesPerThresholdButNeverMoreThanTenTimesASecond() {
        assertThat(HeartbeatWatchdog.tickMillis(16_000)).isEqualTo(1000);
        assertThat(HeartbeatWatchdog.tickMillis(2_000)).isEqualTo(500);
        assertThat(HeartbeatWatchdog.tickMillis(200)).isEqualTo(100);
    }
}
