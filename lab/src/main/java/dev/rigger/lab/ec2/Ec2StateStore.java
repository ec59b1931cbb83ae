package dev.rigger.lab.ec2;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rigger.files.AtomicFiles;
import dev.rigger.lab.LabException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Keeps {@link Ec2State} in one JSON file, written atomically. */
final class Ec2StateStore {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    Ec2StateStore(Path file) {
        this.file = file;
    }

    Ec2State load() {
        if (!Files.isRegularFile(file)) {
            return new Ec2State();
        }
        try {
            return JSON.readValue(file.toFile(), Ec2State.class);
        } catch (IOException e) {
            throw new LabException("EC2 emulator: cannot read its state " + file + ": " + e.getMessage(), e);
        }
    }

    void save(Ec2State state) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, JSON.writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UncheckedIOException("EC2 emulator: cannot write its state " + file, e);
        }
    }
}
