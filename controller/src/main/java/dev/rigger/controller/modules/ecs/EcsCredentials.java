package dev.rigger.controller.modules.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The S3 credentials object prep made, in a file only its owner can read. */
final class EcsCredentials {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    static void write(EcsArgs a, String s3Endpoint, String secretKey) throws IOException {
        Path dir = a.credentialsFile().toAbsolutePath().getParent();
        if (!Files.exists(dir)) {
            // a directory made here is private; one that exists (/tmp, a home) keeps the mode its owner gave it
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("endpoint", s3Endpoint);
        c.put("namespace", a.namespace());
        c.put("accessKeyId", a.objectUser());
        c.put("secretAccessKey", secretKey);
        AtomicFiles.write(a.credentialsFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c), OWNER_ONLY);
    }

    /** True when the file holds this key already and only its owner can read it. */
    static boolean matches(EcsArgs a, String secretKey) {
        Path f = a.credentialsFile();
        try {
            if (!Files.isRegularFile(f) || !Files.getPosixFilePermissions(f).equals(OWNER_ONLY)) {
                return false;
            }
            JsonNode c = JSON.readTree(f.toFile());
            return secretKey.equals(c.path("secretAccessKey").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private EcsCredentials() {
    }
}
