package dev.rigger.controller.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --limit @file}: a file of host names or patterns, one a line ({@code #} starts a comment). */
final class HostLists {

    static String expand(String limit) throws BadInputException {
        if (limit == null || !limit.startsWith("@")) {
            return limit;
        }
        Path file = Path.of(limit.substring(1));
        try {
            String joined = String.join(":", Files.readAllLines(file).stream()
                    .map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList());
            if (joined.isEmpty()) {
                throw new BadInputException("--limit " + limit + ": the file names no host");
            }
            return joined;
        } catch (IOException e) {
            throw new BadInputException("--limit " + limit + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private HostLists() {
    }
}
