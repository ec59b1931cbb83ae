package dev.rigger.controller.events;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Every event of a run, one JSON object a line, in {@code .rigger/runs/<run-id>.jsonl}. */
public final class JsonlRunLog implements RunListener, Closeable {
    private final Path file;
    private final BufferedWriter out;

    public JsonlRunLog(Path runsDir, String runId) throws IOException {
        Files.createDirectories(runsDir);
        // run logs hold task messages and host details: for this user only, like state.json
        Files.setPosixFilePermissions(runsDir, PosixFilePermissions.fromString("rwx------"));
        this.file = runsDir.resolve(runId + ".jsonl");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void on(RunEvent event) {
        try {
            out.write(RunEventJson.write(event));
            out.newLine();
            // a run killed half-way still leaves every event it reached; output lines (thousands a second from a
            // loud task) go out with the buffer, or with the next event of any other kind
            if (!(event instanceof RunEvent.TaskOutputLine)) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
