package dev.rigger.ecssim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DtStatusHandlerTest {
    @Test
    void countsUnreadyTablesDownToZeroOverTheReadyWindow() {
        DtStatusHandler handler = new DtStatusHandler(1_000_000, 10);

        assertThat(handler.unready(1_000_000)).isEqualTo(DtStatusHandler.TOTAL_DT);
        assertThat(handler.unready(1_005_000)).isEqualTo(DtStatusHandler.TOTAL_DT / 2);
        assertThat(handler.unready(1_010_000)).isZero();
        assertThat(new DtStatusHandler(1_000_000, 0).unready(1_000_000)).isZero();
    }
}
