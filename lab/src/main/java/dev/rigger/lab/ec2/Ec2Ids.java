package dev.rigger.lab.ec2;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/** Identifiers and timestamps shaped like EC2's. */
final class Ec2Ids {
    /** The account the emulator pretends to be. */
    static final String ACCOUNT = "123456789012";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ec2Ids() {
    }

    /** {@code <prefix>-0} and 16 lower-case hex digits, like EC2's 17-character ids. */
    static String next(String prefix) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return prefix + "-0" + HexFormat.of().formatHex(bytes);
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
