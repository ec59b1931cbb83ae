package dev.rigger.controller.bridge;

import io.vertx.core.buffer.Buffer;

/**
 * Follows the bridge's framing (a 4-byte big-endian length, then that many bytes of JSON) through a byte stream
 * without keeping any of it, and says when a frame announces more than the current limit: the connection can be
 * closed on the header, before a byte of the body is buffered anywhere.
 */
final class FrameLimiter {

    private volatile int limit;
    private long bodyLeft;
    private int headerRead;
    private int header;

    FrameLimiter(int limit) {
        this.limit = limit;
    }

    /** The limit for frames whose header is still to come (raised once the connection has said hello). */
    void limit(int limit) {
        this.limit = limit;
    }

    /**
     * Takes the next bytes of the stream.
     *
     * @return the length a header announced beyond the limit (or a negative length), or -1 when all is within it
     */
    long accept(Buffer chunk) {
        int length = chunk.length();
        int at = 0;
        while (at < length) {
            if (bodyLeft > 0) {
                int skip = (int) Math.min(bodyLeft, length - at);
                bodyLeft -= skip;
                at += skip;
                continue;
            }
            header = (header << 8) | (chunk.getByte(at) & 0xff);
            headerRead++;
            at++;
            if (headerRead == 4) {
                long announced = header & 0xffffffffL;
                headerRead = 0;
                header = 0;
                if (announced > limit) {
                    return announced;
                }
                bodyLeft = announced;
            }
        }
        return -1;
    }
}
