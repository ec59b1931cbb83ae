package dev.rigger.controller.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.protocol.ProtocolJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one JSON form of a run's events: a line of the run log, a line of {@code play --json}, a message
 * of the API's event stream. Reading it back gives the same events, so a recap can be rebuilt from a log.
 */
public final class RunEventJson {
    private static final ObjectMapper JSON = ProtocolJson.MAPPER;

    private RunEventJson() {
    }

    private static final Map<Class<?>, String> NAMES = new HashMap<>();

    static {
        for (com.fasterxml.jackson.annotation.JsonSubTypes.Type t
                : RunEvent.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value()) {
            NAMES.put(t.value(), t.name());
        }
    }

    /** The event's type as its JSON names it in the {@code event} field ({@code TaskOutput}, {@code HostLost}, …). */
    public static String typeName(RunEvent event) {
        return NAMES.getOrDefault(event.getClass(), event.getClass().getSimpleName());
    }

    public static String write(RunEvent event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunEvent read(String line) throws JsonProcessingException {
        return JSON.readValue(line, RunEvent.class);
    }

    /** Gives {@code each} every event of a run log in order, reading it a line at a time; as {@link #readLog}. */
    public static void eachInLog(Path file, Consumer<RunEvent> each) throws IOException {
        eachInLog(file, Set.of(), each);
    }

    /**
     * As above, leaving out the events whose type is in {@code skipped} without parsing them (a summary has
     * no use for a loud task's hundreds of thousands of output lines).
     */
    public static void eachInLog(Path file, Set<String> skipped, Consumer<RunEvent> each)
            throws IOException {
        List<String> prefixes = skipped.stream().map(t -> "{\"event\":\"" + t + "\"").toList();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            int number = 0;
            while (line != null) {
                number++;
                String next = in.readLine();
                String current = line;
                if (!line.isBlank() && prefixes.stream().noneMatch(current::startsWith)) {
                    try {
                        each.accept(read(line));
                    } catch (JsonProcessingException e) {
                        if (next != null) {
                            throw new IOException(file + ":" + number + ": not a run event: " + e.getOriginalMessage(), e);
                        }
                    }
                }
                line = next;
            }
        }
    }

    /** Every event of a run log, in order; a last line cut short by a killed run is left out. */
    public static List<RunEvent> readLog(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<RunEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(read(line));
            } catch (JsonProcessingException e) {
                if (i < lines.size() - 1) {
                    throw new IOException(file + ":" + (i + 1) + ": not a run event: " + e.getOriginalMessage(), e);
                }
            }
        }
        return events;
    }
}
