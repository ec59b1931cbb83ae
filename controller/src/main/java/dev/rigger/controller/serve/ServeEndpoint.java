package dev.rigger.controller.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where a running {@code rigger serve} listens, in {@code <state>/serve.json}, so the CLI of the same state
 * directory asks it instead of connecting to hosts itself. A file left by a server that died is ignored:
 * its process is gone.
 *
 * @param nonce           random, new at every start: what the server's proof of itself is bound to ({@link ServeProof})
 * @param tlsFingerprint  the SHA-256 of the server's certificate (hex) when it speaks TLS, which the CLI pins;
 *                        null for plain HTTP on loopback
 */
public record ServeEndpoint(String bind, int port, long pid, String playbooksDir, String inventoryId, String nonce,
                            String tlsFingerprint) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path file(Path stateDir) {
        return stateDir.resolve("serve.json");
    }

    public void write(Path stateDir) throws IOException {
        AtomicFiles.write(file(stateDir), JSON.writeValueAsBytes(this), PosixFilePermissions.fromString("rw-------"));
    }

    /** The endpoint of a server whose process still runs. */
    public static Optional<ServeEndpoint> running(Path stateDir) {
        try {
            ServeEndpoint e = JSON.readValue(Files.readAllBytes(file(stateDir)), ServeEndpoint.class);
            return ProcessHandle.of(e.pid()).filter(ProcessHandle::isAlive).map(p -> e);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void remove(Path stateDir) {
        try {
            Files.deleteIfExists(file(stateDir));
        } catch (IOException e) {
            // a stale file is ignored by the pid check
        }
    }

    /** The address to call: a wildcard bind is reached through loopback. */
    public String baseUrl() {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        return (tlsFingerprint != null ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
