package dev.rigger.agent.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads small kernel files (/proc, /sys) where a missing or unreadable file simply means "not known". */
final class SysFiles {
    private SysFiles() {
    }

    /** The trimmed content, or null when the file is absent, unreadable or blank. */
    static String read(Path path) {
        try {
            String s = Files.readString(path, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String readOrEmpty(Path path) {
        String s = read(path);
        return s == null ? "" : s;
    }

    static long readLong(Path path, long fallback) {
        String s = read(path);
        if (s == null) {
            return fallback;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
