package dev.rigger.controller.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class FrameLimiterTest {

    @Test
    void framesWithinTheLimitPassWhateverTheChunking() {
        FrameLimiter limiter = new FrameLimiter(10);
        Buffer stream = Buffer.buffer().appendInt(10).appendBytes(new byte[10]).appendInt(3).appendBytes(new byte[3]);

        for (int i = 0; i < stream.length(); i++) {
            assertThat(limiter.accept(stream.getBuffer(i, i + 1))).as("byte %d", i).isEqualTo(-1);
        }
    }

    @Test
    void aHeaderSplitAcrossChunksIsStillRead() {
        FrameLimiter limiter = new FrameLimiter(10);
        Buffer first = Buffer.buffer().appendInt(2).appendBytes(new byte[2]).appendByte((byte) 0).appendByte((byte) 0);
        Buffer second = Buffer.buffer().appendByte((byte) 0).appendByte((byte) 11);

        assertThat(limiter.accept(first)).isEqualTo(-1);
        assertThat(limiter.accept(second)).isEqualTo(11);
    }

    @Test
    void aHeaderAboveTwoGibibytesIsReadUnsigned() {
        FrameLimiter limiter = new FrameLimiter(16 << 20);

        assertThat(limiter.accept(Buffer.buffer().appendInt(Integer.MIN_VALUE))).isEqualTo(1L << 31);
        assertThat(new FrameLimiter(16 << 20).accept(Buffer.buffer().appendInt(-1))).isEqualTo(0xffffffffL);
    }

    @Test
    void theLimitRaisedAfterHelloAppliesToTheNextHeader() {
        FrameLimiter limiter = new FrameLimiter(1 << 20);
        assertThat(limiter.accept(Buffer.buffer().appendInt(4).appendBytes(new byte[4]))).isEqualTo(-1);

        limiter.limit(16 << 20);

        assertThat(limiter.accept(Buffer.buffer().appendInt(4 << 20))).isEqualTo(-1);
        assertThat(limiter.accept(Buffer.buffer().appendBytes(new byte[4 << 20]).appendInt((16 << 20) + 1)))
                .isEqualTo((16 << 20) + 1);
    }
}
