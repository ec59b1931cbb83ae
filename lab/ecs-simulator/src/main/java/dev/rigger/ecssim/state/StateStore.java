package dev.rigger.ecssim.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Owns the state and its file. Every change runs under one lock and is written before the API answers
 * (temp file, fsync, rename, then fsync of the directory), so a container killed at any moment restarts
 * with either the old or the new state. The file holds secret keys, hence mode 0600.
 */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Moves time-driven states along (data stores becoming ready); returns whether anything changed. */
    public interface Advancer {
        boolean advance(SimulatorState state, long nowMillis);
    }

    private final Path file;
    private final Advancer advancer;
    private final SimulatorState state;

    private StateStore(Path file, Advancer advancer, SimulatorState state) {
        this.file = file;
        this.advancer = advancer;
        this.state = state;
    }

    public static StateStore open(Path file, Advancer advancer) throws IOException {
        SimulatorState state;
        if (Files.exists(file)) {
            try {
                state = JSON.readValue(file.toFile(), SimulatorState.class);
            } catch (IOException e) {
                throw new IOException("state file " + file + " is not a valid simulator state (" + e.getMessage()
                        + ")", e);
            }
        } else {
            state = new SimulatorState();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new StateStore(file, advancer, state);
    }

    public Path file() {
        return file;
    }

    /** Runs a change and persists it; when the change throws, nothing is written. */
    public synchronized <T> T mutate(Function<SimulatorState, T> change) {
        advancer.advance(state, System.currentTimeMillis());
        T result = change.apply(state);
        save();
        return result;
    }

    public synchronized <T> T read(Function<SimulatorState, T> query) {
        if (advancer.advance(state, System.currentTimeMillis())) {
            save();
        }
        return query.apply(state);
    }

    /** Called periodically so that the file, too, shows stores turning ready without any request. */
    public synchronized void tick() {
        if (advancer.advance(state, System.currentTimeMillis())) {
            save();
        }
    }

    public synchronized byte[] snapshot() {
        try {
            return JSON.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void save() {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(state), AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state file " + file + ": " + e.getMessage(), e);
        }
    }
}
