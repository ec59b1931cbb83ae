package dev.rigger.controller.serve;

import dev.rigger.controller.security.Secret;
import dev.rigger.controller.security.Tokens;
import dev.rigger.files.AtomicFiles;
import dev.rigger.controller.state.StateOwnership;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The API's bearer token: generated at the first start, kept in {@code <state>/serve.token} readable by
 * its owner only, and the same at every later start so scripts and the CLI keep working, until
 * {@code rigger serve --rotate-token} replaces it.
 *
 * @param created true when this start generated it (the only time it is printed)
 */
public record ServeToken(Secret value, boolean created) {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public static Path file(Path stateDir) {
        return stateDir.resolve("serve.token");
    }

    public static ServeToken loadOrCreate(Path stateDir) throws IOException {
        Path file = file(stateDir);
        if (Files.exists(file)) {
            return new ServeToken(load(stateDir), false);
        }
        StateOwnership.createDirectory(stateDir);
        Secret token = Tokens.oneTime();
        AtomicFiles.write(file, (token.reveal() + "\n").getBytes(StandardCharsets.UTF_8), OWNER_ONLY);
        return new ServeToken(token, true);
    }

    /**
     * Replaces the token with a new one (0600, written atomically): a running server takes it when told to
     * reload, and from then on answers the old one with 401.
     */
    public static Path rotate(Path stateDir) throws IOException {
        StateOwnership.createDirectory(stateDir);
        AtomicFiles.write(file(stateDir), (Tokens.oneTime().reveal() + "\n").getBytes(StandardCharsets.UTF_8), OWNER_ONLY);
        return file(stateDir);
    }

    /** The token in the file, which must exist, be readable by its owner only and hold a long enough token. */
    public static Secret load(Path stateDir) throws IOException {
        Path file = file(stateDir);
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            throw new IOException(file + ": the API token file must be readable by its owner only (chmod 600)");
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.length() < 32) {
            throw new IOException(file + ": expected a token of at least 32 characters; delete the file to get a new one");
        }
        return Secret.of(token);
    }

    /** The token of a running server, for the CLI on the same machine; empty when there is none or it cannot be read. */
    public static Optional<Secret> read(Path stateDir) {
        try {
            return Optional.of(Secret.of(Files.readString(file(stateDir), StandardCharsets.UTF_8).strip()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
