package dev.rigger.controller.modules.ec2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an instance's SSH host keys from its console output, where cloud-init prints them between
 * {@code -----BEGIN SSH HOST KEY KEYS-----} and {@code -----END SSH HOST KEY KEYS-----}. Lines may carry
 * a prefix (a kernel timestamp, {@code ec2: }) and a comment; each key is returned as
 * {@code <type> <base64>}, the form the inventory's {@code hostKeys} take. When the block appears more
 * than once (the instance rebooted) the last complete one counts.
 */
final class ConsoleHostKeys {
    static final String BEGIN = "-----BEGIN SSH HOST KEY KEYS-----";
    static final String END = "-----END SSH HOST KEY KEYS-----";

    private static final Pattern KEY = Pattern.compile(
            "(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\\.com"
                    + "|sk-ecdsa-sha2-nistp256@openssh\\.com)\\s+([A-Za-z0-9+/]+={0,2})(?:\\s|$)");

    private ConsoleHostKeys() {
    }

    /** The console output as EC2 returns it: base64 of the text. Text that is not base64 is taken as it is. */
    static String decode(String output) {
        if (output == null) {
            return "";
        }
        try {
            return new String(Base64.getMimeDecoder().decode(output), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return output;
        }
    }

    /** The keys of the last complete block; empty when there is none yet. */
    static List<String> parse(String console) {
        List<String> last = List.of();
        List<String> block = null;
        for (String line : console.split("\\r?\\n|\\r")) {
            if (line.contains(BEGIN)) {
                block = new ArrayList<>();
            } else if (line.contains(END)) {
                if (block != null && !block.isEmpty()) {
                    last = List.copyOf(block);
                }
                block = null;
            } else if (block != null) {
                Matcher m = KEY.matcher(line);
                if (m.find() && wellFormed(m.group(1), m.group(2))) {
                    block.add(m.group(1) + " " + m.group(2));
                }
            }
        }
        return last;
    }

    /** The blob of an SSH public key starts with its own type name; a torn or garbled line fails that. */
    private static boolean wellFormed(String type, String base64) {
        try {
            ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
            int length = blob.getInt();
            if (length != type.length() || blob.remaining() < length) {
                return false;
            }
            byte[] name = new byte[length];
            blob.get(name);
            return type.equals(new String(name, StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
