package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.ConsoleLog;
import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Errors a test asks the simulator to answer with, to see how a client copes: ECS answers 5xx and
 * {@code "retryable": true} while a service restarts, and a plain error when a request is wrong. The test
 * writes {@code /data/ecssim/faults.json}:
 * <pre>{@code {"rules": [{"method": "GET", "pathPrefix": "/vdc/data-service/vpools", "times": 2,
 *   "status": 503, "code": 6503, "retryable": true, "description": "service unavailable"}]}}</pre>
 * Each matching call uses up one of a rule's {@code times}; a rule used up no longer applies. No file, no faults.
 */
final class FaultPlan {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    FaultPlan(Path file) {
        this.file = file;
    }

    /** Throws the error of the first rule that matches this call, using it up; returns when none does. */
    synchronized void check(String method, String path) {
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            for (JsonNode rule : root.path("rules")) {
                int times = rule.path("times").asInt(0);
                if (times <= 0 || !method.equals(rule.path("method").asText(method))
                        || !path.startsWith(rule.path("pathPrefix").asText("/"))) {
                    continue;
                }
                ((ObjectNode) rule).put("times", times - 1);
                AtomicFiles.write(file, JSON.writeValueAsBytes(root));
                throw new ApiError(rule.path("status").asInt(503), rule.path("code").asInt(6503),
                        rule.path("retryable").asBoolean(false), rule.path("description").asText("injected fault"),
                        "injected by " + file.getFileName());
            }
        } catch (IOException | ClassCastException e) {
            ConsoleLog.boot("ignoring " + file + ": " + e.getMessage());
        }
    }
}
