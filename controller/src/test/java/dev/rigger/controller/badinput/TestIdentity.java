package dev.rigger.controller.badinput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * A real private key for the test inventories, so that a run which gets past validation goes as far as
 * dialling its host (and is refused by a closed port) instead of stopping at a missing key file.
 */
final class TestIdentity {

    static Path write(Path file) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make an RSA key", e);
        }
    }

    /** An inventory file whose only host {@code node1} is 127.0.0.1:{@code port}, with a real key. */
    static Path inventory(Path file, int port) throws IOException {
        Path key = write(file.resolveSibling(file.getFileName() + ".key"));
        Files.writeString(file, """
                {"hosts": {"node1": {"address": "127.0.0.1", "port": %d, "user": "root", "identityFile": "%s"}}}
                """.formatted(port, key.toAbsolutePath()));
        return file;
    }

    private TestIdentity() {
    }
}
