package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Shared JSON building blocks of ECS bodies: links, URNs, timestamps, generated keys. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter KEY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** ECS links: {@code {"rel":"self","href":"/vdc/..."}}. */
    public static ObjectNode link(String href) {
        return object().put("rel", "self").put("href", href);
    }

    public static String urn(String type) {
        return "urn:storageos:" + type + ":" + UUID.randomUUID();
    }

    /** Secret-key timestamps look like {@code 2016-05-27 22:29:48.416} in ECS bodies. */
    public static String keyTime(long epochMillis) {
        return KEY_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** ECS S3 secret keys are 40 characters. */
    public static String secret(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }
}
