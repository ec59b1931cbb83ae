package dev.rigger.agent.facts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The processor's model name from /proc/cpuinfo. */
public final class CpuFacts {
    /** The key naming the model differs per architecture; the first one present wins. */
    private static final List<String> MODEL_KEYS = List.of("model name", "Model", "cpu model", "cpu", "Hardware");
    /** The first processor's block is all we read; the kernel formats the rest only if asked for it. */
    private static final int HEAD_BYTES = 8192;

    private CpuFacts() {
    }

    public static String collectModel() {
        try (InputStream in = Files.newInputStream(Path.of("/proc/cpuinfo"))) {
            return parseModel(new String(in.readNBytes(HEAD_BYTES), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    /** The model of the first processor in /proc/cpuinfo text, or null when no known key names one. */
    public static String parseModel(String cpuinfo) {
        for (String key : MODEL_KEYS) {
            for (String line : cpuinfo.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                    String value = line.substring(colon + 1).strip();
                    if (!value.isEmpty()) {
                        return value;
                    }
                }
            }
        }
        return null;
    }
}
