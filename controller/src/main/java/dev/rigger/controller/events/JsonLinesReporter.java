package dev.rigger.controller.events;

import java.io.PrintStream;

/** {@code rigger play --json}: every event as it happens, one JSON object a line, for other programs to read. */
public final class JsonLinesReporter implements RunListener {
    private final PrintStream out;

    public JsonLinesReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void on(RunEvent event) {
        out.println(RunEventJson.write(event));
        out.flush();
    }
}
