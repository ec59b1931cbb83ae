package dev.rigger.lab;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Keeps {@link LabState} in {@code <lab dir>/lab-state.json}, written atomically. */
final class LabStateStore {
    static final String FILE = "lab-state.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final String labName;

    LabStateStore(Path labDir, String labName) {
        this.file = labDir.resolve(FILE);
        this.labName = labName;
    }

    LabState load() {
        if (!Files.isRegularFile(file)) {
            return LabState.empty(labName);
        }
        try {
            return JSON.readValue(file.toFile(), LabState.class);
        } catch (IOException e) {
            throw new LabException("lab '" + labName + "': cannot read its state " + file + ": " + e.getMessage(), e);
        }
    }

    void save(LabState state) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, JSON.writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
