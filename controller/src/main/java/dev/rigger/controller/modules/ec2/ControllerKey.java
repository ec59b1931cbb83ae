package dev.rigger.controller.modules.ec2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The SSH key the controller logs in to its EC2 hosts with: by default {@code <state>/keys/id_ed25519}
 * (made with ssh-keygen the first time: OpenSSH format, private half 0600 in a 0700 directory), or the
 * pair whose public half {@code publicKeyFile} names (its private half beside it, without {@code .pub}).
 */
record ControllerKey(Path identityFile, Path publicKeyFile) {
    static final String DEFAULT_NAME = "id_ed25519";

    static ControllerKey of(Ec2Args a, Path stateDir) {
        if (a.publicKeyFile() != null) {
            Path pub = a.publicKeyFile().toAbsolutePath();
            String name = pub.getFileName().toString();
            Path identity = pub.resolveSibling(name.endsWith(".pub") ? name.substring(0, name.length() - 4) : name);
            return new ControllerKey(identity, pub);
        }
        Path identity = stateDir.toAbsolutePath().resolve("keys").resolve(DEFAULT_NAME);
        return new ControllerKey(identity, identity.resolveSibling(DEFAULT_NAME + ".pub"));
    }

    boolean exists() {
        return Files.isRegularFile(publicKeyFile);
    }

    /** Only the default key is ever made; a named public key file that is missing is the user's mistake. */
    boolean canGenerate(Ec2Args a) {
        return a.publicKeyFile() == null;
    }

    void generate() throws IOException, InterruptedException {
        Path dir = identityFile.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(identityFile);
        Files.deleteIfExists(publicKeyFile);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rigger-controller",
                "-f", identityFile.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ssh-keygen could not make the controller key " + identityFile + ": " + out);
        }
        Files.setPosixFilePermissions(identityFile, PosixFilePermissions.fromString("rw-------"));
    }

    /** The public key line, {@code <type> <base64> [comment]}, as EC2's ImportKeyPair takes it. */
    String publicKey() throws IOException {
        String line = Files.readString(publicKeyFile, StandardCharsets.UTF_8).trim();
        String[] parts = line.split("\\s+");
        if (parts.length < 2 || !parts[0].startsWith("ssh-") && !parts[0].startsWith("ecdsa-")) {
            throw new IOException(publicKeyFile + ": expected an OpenSSH public key line (ssh-ed25519 AAAA...)");
        }
        return line;
    }

    /** {@code <type> <base64>} without the comment: for comparing with the key EC2 holds. */
    String publicKeyBlob() throws IOException {
        return blob(publicKey());
    }

    /** {@code <type> <base64>} of a public key line; empty when the line is not one. */
    static String blob(String line) {
        String[] parts = line.trim().split("\\s+");
        return parts.length < 2 ? "" : parts[0] + " " + parts[1];
    }
}
