package dev.rigger.controller.cli;

import dev.rigger.playbook.Problem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code --limit @file}: a file of host names or patterns, one a line ({@code #} starts a comment). */
final class HostLists {

    /** A list of host names, not a data file: anything larger is a mistake (a log, an image). */
    private static final long MAX_BYTES = 4L * 1024 * 1024;

    static String expand(String raw) throws BadInputException {
        if (raw == null || !raw.startsWith("@")) {
            return raw;
        }
        // echoed in messages: a newline in it must not start a line of its own
        String limit = Problem.printable(raw);
        Path file;
        try {
            file = Path.of(raw.substring(1));
        } catch (InvalidPathException e) {
            throw new BadInputException("--limit " + limit + ": not a usable file name: " + e.getReason());
        }
        try {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException("--limit " + limit + ": " + (Files.exists(file)
                        ? "not a regular file; give a file of host names, one a line" : "no such file"));
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new BadInputException("--limit " + limit + ": too large for a list of hosts (" + Files.size(file)
                        + " bytes)");
            }
            String joined = String.join(":", Files.readAllLines(file).stream()
                    .map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList());
            if (joined.isEmpty()) {
                throw new BadInputException("--limit " + limit + ": the file names no host");
            }
            return joined;
        } catch (CharacterCodingException e) {
            throw new BadInputException("--limit " + limit + ": not UTF-8 text");
        } catch (NoSuchFileException e) {
            throw new BadInputException("--limit " + limit + ": no such file");
        } catch (IOException e) {
            throw new BadInputException("--limit " + limit + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private HostLists() {
    }
}
