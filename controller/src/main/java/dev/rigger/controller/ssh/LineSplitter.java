package dev.rigger.controller.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a channel's byte stream into lines as they arrive. Splitting on '\n' before decoding is safe for
 * UTF-8. MINA flushes after every packet, so {@link #flush()} must not cut a line in two; only
 * {@link #finish()} hands out an unterminated last line.
 */
final class LineSplitter extends OutputStream {

    private static final Logger LOG = LoggerFactory.getLogger(LineSplitter.class);
    /** A "line" without newline this long is handed out in pieces rather than held in memory. */
    private static final int MAX_LINE = 1 << 20;

    private final Consumer<String> sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean finished;

    LineSplitter(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            pending.write(b);
            if (pending.size() >= MAX_LINE) {
                emit();
            }
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                pending.write(bytes, start, i - start);
                emit();
                start = i + 1;
            }
        }
        pending.write(bytes, start, end - start);
        if (pending.size() >= MAX_LINE) {
            emit();
        }
    }

    /** Hands out the last line if it had no newline; later calls do nothing. */
    synchronized void finish() {
        if (!finished) {
            finished = true;
            if (pending.size() > 0) {
                emit();
            }
        }
    }

    @Override
    public void close() {
        finish();
    }

    private void emit() {
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            // the sink runs on an SSH I/O thread; one bad consumer must not kill the session
            LOG.warn("a line consumer failed: {}", e.toString());
        }
    }
}
