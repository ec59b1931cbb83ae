package dev.rigger.controller.badinput;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bad-playbook corpus under {@code src/test/resources/bad-playbooks} ({@code generate.py} writes it):
 * {@code manifest.tsv} lists each case file, the JSON pointer its error must name, and what is wrong.
 */
final class Corpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One case; {@code pointer} is empty when the mistake is the document as a whole. */
    record Case(Path file, String pointer, String what) {
        @Override
        public String toString() {
            return file.getFileName() + " (" + what + ")";
        }
    }

    static Path root() {
        try {
            return Path.of(Corpus.class.getResource("/bad-playbooks/manifest.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path cases() {
        return root().resolve("cases");
    }

    static List<Case> all() {
        List<Case> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(root().resolve("manifest.tsv"), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                // the pointer column is the inside of a JSON string, so it can hold a newline or a NUL
                String pointer = JSON.readValue("\"" + cols[1] + "\"", String.class);
                out.add(new Case(cases().resolve(cols[0]), pointer, cols[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private Corpus() {
    }
}
