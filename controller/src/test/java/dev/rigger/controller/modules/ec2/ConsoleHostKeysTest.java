package dev.rigger.controller.modules.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConsoleHostKeysTest {
    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBcfHoIYRnPMLkBWp80U7jPcsFqkIs4b84YAWQgjZOKH";
    static final String ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIOsRI19Yks"
            + "eNKUE3+xVdqymxZuq0BNWbjiEAHBn4F9slqyqOZ7ymA2AMKk4+7O2aEw3SzjAgSPofCYyCGXSoFo=";

    private static String cloudInit(String... keyLines) {
        StringBuilder out = new StringBuilder()
                .append("[    4.000001] cloud-init[512]: Generating public/private ed25519 key pair.\r\n")
                .append("<14>Jan  1 00:00:05 ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----\r\n")
                .append("<14>Jan  1 00:00:05 ec2: 256 SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG root@ip (ED25519)\r\n")
                .append("<14>Jan  1 00:00:05 ec2: -----END SSH HOST KEY FINGERPRINTS-----\r\n")
                .append("-----BEGIN SSH HOST KEY KEYS-----\r\n");
        for (String line : keyLines) {
            out.append(line).append("\r\n");
        }
        return out.append("-----END SSH HOST KEY KEYS-----\r\n").append("ip-10-0-0-1 login: ").toString();
    }

    @Test
    void readsEveryKeyOfTheBlockWithoutItsComment() {
        String console = cloudInit(ECDSA + " root@ip-10-0-0-1", ED25519 + " root@ip-10-0-0-1");

        assertThat(ConsoleHostKeys.parse(console)).containsExactly(ECDSA, ED25519);
    }

    @Test
    void decodesTheBase64ThatGetConsoleOutputReturns() {
        String encoded = Base64.getEncoder().encodeToString(cloudInit(ED25519).getBytes(StandardCharsets.UTF_8));

        assertThat(ConsoleHostKeys.parse(ConsoleHostKeys.decode(encoded))).containsExactly(ED25519);
    }

    @Test
    void findsNothingBeforeCloudInitHasPrintedTheBlock() {
        String booting = "[    0.000000] Linux version 5.15.0-1051-aws\r\n[    2.1] cloud-init[512]: running 'init'\r\n";

        assertThat(ConsoleHostKeys.parse(booting)).isEmpty();
        assertThat(ConsoleHostKeys.parse(ConsoleHostKeys.decode(null))).isEmpty();
    }

    @Test
    void ignoresABlockWhoseEndHasNotBeenPrintedYet() {
        String torn = "-----BEGIN SSH HOST KEY KEYS-----\n" + ED25519 + "\n";

        assertThat(ConsoleHostKeys.parse(torn)).as("keys are trusted only once the block is complete").isEmpty();
    }

    @Test
    void takesTheLastBlockWhenTheInstanceBootedTwice() {
        String twice = cloudInit(ECDSA) + "\r\nreboot\r\n" + cloudInit(ED25519);

        assertThat(ConsoleHostKeys.parse(twice)).containsExactly(ED25519);
    }

    @Test
    void acceptsPrefixedLinesAndRejectsAKeyWhoseBlobIsNotOfItsType() {
        String mislabelled = "ssh-rsa " + ED25519.split(" ")[1];
        String console = cloudInit("ec2: " + ED25519 + " root@host", mislabelled, "ssh-ed25519 AAAA!!!garbled");

        assertThat(ConsoleHostKeys.parse(console)).containsExactly(ED25519);
    }
}
