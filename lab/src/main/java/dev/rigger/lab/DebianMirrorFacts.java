package dev.rigger.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Debian mirror and suite this machine is configured with, read from apt's sources (deb822 first, then
 * the one-line format), so the node image comes from the same place as the machine's own packages.
 */
record DebianMirrorFacts(String mirror, String suite) {
    static final Path DEB822 = Path.of("/etc/apt/sources.list.d/debian.sources");
    static final Path ONE_LINE = Path.of("/etc/apt/sources.list");

    static DebianMirrorFacts ofThisMachine() {
        return fromDeb822(read(DEB822))
                .or(() -> fromOneLine(read(ONE_LINE)))
                .orElseThrow(() -> new LabException("no Debian mirror configured: expected a 'Types: deb' entry"
                        + " in " + DEB822 + " or a 'deb URI suite main' line in " + ONE_LINE));
    }

    /** The first stanza of type deb whose suite is a release (not -updates, -security, -backports). */
    static Optional<DebianMirrorFacts> fromDeb822(String text) {
        for (String stanza : text.split("\\n\\s*\\n")) {
            String types = field(stanza, "Types");
            String uris = field(stanza, "URIs");
            String suites = field(stanza, "Suites");
            if (types == null || uris == null || suites == null || !List.of(types.split("\\s+")).contains("deb")) {
                continue;
            }
            for (String suite : suites.split("\\s+")) {
                if (isRelease(suite)) {
                    return Optional.of(new DebianMirrorFacts(uris.split("\\s+")[0], suite));
                }
            }
        }
        return Optional.empty();
    }

    static Optional<DebianMirrorFacts> fromOneLine(String text) {
        for (String raw : text.split("\\n")) {
            List<String> words = new ArrayList<>(List.of(raw.strip().split("\\s+")));
            if (words.isEmpty() || !words.get(0).equals("deb")) {
                continue;
            }
            words.remove(0);
            if (!words.isEmpty() && words.get(0).startsWith("[")) {
                while (!words.isEmpty() && !words.get(0).endsWith("]")) {
                    words.remove(0);
                }
                if (!words.isEmpty()) {
                    words.remove(0);
                }
            }
            if (words.size() >= 2 && isRelease(words.get(1))) {
                return Optional.of(new DebianMirrorFacts(words.get(0), words.get(1)));
            }
        }
        return Optional.empty();
    }

    private static boolean isRelease(String suite) {
        return !suite.isBlank() && !suite.contains("-") && !suite.contains("/");
    }

    private static String field(String stanza, String name) {
        for (String line : stanza.split("\\n")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("#") && trimmed.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return trimmed.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
