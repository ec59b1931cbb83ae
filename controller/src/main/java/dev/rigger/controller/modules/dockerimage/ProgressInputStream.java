package dev.rigger.controller.modules.dockerimage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Counts the bytes of an image on its way to a host and says how far it got, every tenth of the expected
 * size but at most every few MB, so a long transfer shows that it moves without flooding the output.
 */
final class ProgressInputStream extends FilterInputStream {
    private static final long MIN_STEP = 4L * 1024 * 1024;
    private static final double MB = 1_000_000.0;

    private final long expected;
    private final boolean estimate;
    private final long step;
    private final Consumer<String> output;
    private final long started = System.nanoTime();
    private long count;
    private long nextReport;

    /**
     * @param expected the size to expect, or 0 when unknown
     * @param estimate whether {@code expected} is only close (an image's size, not its tar's)
     */
    ProgressInputStream(InputStream in, long expected, boolean estimate, Consumer<String> output) {
        super(in);
        this.expected = expected;
        this.estimate = estimate;
        this.step = Math.max(MIN_STEP, expected / 10);
        this.nextReport = step;
        this.output = output;
    }

    long count() {
        return count;
    }

    /** Throughput so far, MB/s. */
    double rate() {
        double seconds = (System.nanoTime() - started) / 1e9;
        return seconds <= 0 ? 0 : count / MB / seconds;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) {
        count += n;
        if (count >= nextReport) {
            nextReport = count + step;
            output.accept(expected > 0
                    ? String.format(Locale.ROOT, "sent %.1f of %s%.1f MB", count / MB, estimate ? "about " : "",
                            expected / MB)
                    : String.format(Locale.ROOT, "sent %.1f MB", count / MB));
        }
    }
}
