package dev.rigger.lab.ec2;

import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The one key pair the emulator accepts, made anew at each start. An instance is root on this machine, so
 * whoever may call the emulator must already be the user that started it: the secret goes only to a 0600
 * file in the lab's 0700 directory, in the AWS shared-credentials format (profile {@code default}), so the
 * AWS CLI and SDKs read it unchanged ({@code AWS_SHARED_CREDENTIALS_FILE=<file>}).
 *
 * @param accessKeyId     names the key in a request's {@code Credential=} scope
 * @param secretAccessKey signs the requests (SigV4); never printed
 */
public record Ec2Credentials(String accessKeyId, String secretAccessKey) {
    public static final String FILE_NAME = "ec2-credentials";

    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String ANY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    static Ec2Credentials generate(SecureRandom random) {
        return new Ec2Credentials("AKIA" + pick(random, UPPER, 16), pick(random, ANY, 40));
    }

    /** Writes the file 0600 from its first byte (created with that mode, then renamed over any old one). */
    void writeTo(Path file) {
        String text = "[default]\naws_access_key_id = " + accessKeyId + "\naws_secret_access_key = " + secretAccessKey + "\n";
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            AtomicFiles.write(file, text.getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("EC2 emulator: cannot write its credentials to " + file, e);
        }
    }

    /** The secret stays out of logs and exceptions that print this record. */
    @Override
    public String toString() {
        return "Ec2Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=(hidden)]";
    }

    private static String pick(SecureRandom random, String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
