package dev.rigger.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The lab's SSH login key: one ed25519 pair per lab, made by ssh-keygen, private half 0600 in a 0700 dir. */
final class LabKeys {
    static final String IDENTITY = "id_ed25519";

    private LabKeys() {
    }

    /** Returns the private key file, making the pair if the lab has none yet. */
    static Path ensure(Path labDir, String labName) {
        Path identity = labDir.resolve(IDENTITY);
        Path publicKey = publicKey(identity);
        try {
            if (!Files.isRegularFile(identity) || !Files.isRegularFile(publicKey)) {
                Files.deleteIfExists(identity);
                Files.deleteIfExists(publicKey);
                Commands.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rigger-lab-" + labName,
                        "-f", identity.toString()).orThrow();
            }
            Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-------"));
            // sshd's StrictModes refuses an authorized_keys file that others may write
            Files.setPosixFilePermissions(publicKey, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the lab key in " + labDir, e);
        }
        return identity;
    }

    static Path publicKey(Path identity) {
        return identity.resolveSibling(identity.getFileName() + ".pub");
    }
}
