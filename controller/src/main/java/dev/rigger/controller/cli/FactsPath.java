package dev.rigger.controller.cli;

import com.fasterxml.jackson.core.JsonPointer;

/** {@code --filter}: a dotted path ({@code blockDevices.0.sizeBytes}) or a JSON pointer ({@code /blockDevices/0}). */
final class FactsPath {
    private FactsPath() {
    }

    static JsonPointer pointer(String path) throws BadInputException {
        String p = path.strip();
        if (p.isEmpty()) {
            throw new BadInputException("--filter: expected a path such as memTotalBytes or blockDevices.0.sizeBytes");
        }
        try {
            return JsonPointer.compile(p.startsWith("/") ? p : "/" + String.join("/",
                    java.util.Arrays.stream(p.split("\\.")).map(s -> s.replace("~", "~0").replace("/", "~1")).toList()));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--filter: '" + path + "' is not a path: " + e.getMessage());
        }
    }
}
