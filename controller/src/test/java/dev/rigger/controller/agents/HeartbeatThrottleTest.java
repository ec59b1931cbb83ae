package dev.rigger.controller.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeartbeatThrottleTest {

    @Test
    void aBurstOfHeartbeatsAfterAThawPassesOnce() {
        HeartbeatThrottle throttle = new HeartbeatThrottle(1000);

        assertThat(throttle.admit("node2", 10_000)).isTrue();
        assertThat(throttle.admit("node2", 10_001)).isFalse();
        assertThat(throttle.admit("node2", 10_002)).isFalse();
        assertThat(throttle.admit("node2", 10_500)).isFalse();
    }

    @Test
    void heartbeatsArrivingWithOrdinaryJitterAllPass() {
        HeartbeatThrottle throttle = new HeartbeatThrottle(1000);
        long[] arrivals = {0, 1020, 1980, 3010, 3950, 5000};
        List<Long> passed = new ArrayList<>();
        for (long at : arrivals) {
            if (throttle.admit("node1", at)) {
                passed.add(at);
            }
        }
        assertThat(passed).hasSize(arrivals.length);
    }

    @Test
    void eachHostHasItsOwnAllowance() {
        HeartbeatThrottle throttle = new HeartbeatThrottle(5000);

        assertThat(throttle.admit("node1", 0)).isTrue();
        assertThat(throttle.admit("node2", 1)).isTrue();
        assertThat(throttle.admit("node1", 2)).isFalse();
    }

    @Test
    void aForgottenHostPassesAtOnce() {
        HeartbeatThrottle throttle = new HeartbeatThrottle(5000);
        throttle.admit("node1", 0);

        throttle.forget("node1");

        assertThat(throttle.admit("node1", 1)).isTrue();
    }
}
