package dev.rigger.lab.ec2;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 Credential=…,
 * SignedHeaders=…, Signature=…}) against the emulator's one key, as EC2 does: the canonical request (method,
 * path, sorted query, the signed headers, the SHA-256 of the body as received), the string to sign with its
 * scope, the derived signing key. {@code host} and {@code x-amz-date} must be signed, and the date must be
 * within 15 minutes of now. Anything else is refused with EC2's codes, HTTP 403.
 */
final class SigV4Verifier {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Duration SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Ec2Credentials key;

    SigV4Verifier(Ec2Credentials key) {
        this.key = key;
    }

    /**
     * @param header the request's headers by lower-case name (all values of one name joined with a comma)
     * @throws Ec2ApiException AuthFailure, SignatureDoesNotMatch or RequestExpired, status 403
     */
    void verify(String method, String rawPath, String rawQuery, Function<String, String> header, byte[] body, Instant now) {
        String authorization = header.apply("authorization");
        if (authorization == null || !authorization.startsWith(ALGORITHM + " ")) {
            throw refused("AuthFailure", "AWS was not able to validate the provided access credentials: the request"
                    + " is not signed with " + ALGORITHM + " (the emulator's key is in its " + Ec2Credentials.FILE_NAME + " file)");
        }
        Map<String, String> parts = parts(authorization.substring(ALGORITHM.length() + 1));
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw refused("AuthFailure", "AWS was not able to validate the provided access credentials:"
                    + " the Authorization header lacks Credential, SignedHeaders or Signature");
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !"aws4_request".equals(scope[4]) || !"ec2".equals(scope[3])) {
            throw refused("AuthFailure", "AWS was not able to validate the provided access credentials:"
                    + " the credential scope must be <key>/<date>/<region>/ec2/aws4_request");
        }
        if (!MessageDigest.isEqual(scope[0].getBytes(StandardCharsets.UTF_8), key.accessKeyId().getBytes(StandardCharsets.UTF_8))) {
            throw refused("AuthFailure", "AWS was not able to validate the provided access credentials");
        }
        List<String> signed = Arrays.asList(signedHeaders.split(";"));
        if (!signed.contains("host") || !signed.contains("x-amz-date")) {
            throw refused("AuthFailure", "AWS was not able to validate the provided access credentials:"
                    + " host and x-amz-date must be signed");
        }
        String amzDate = header.apply("x-amz-date");
        Instant when;
        try {
            when = Instant.from(AMZ_DATE.parse(amzDate == null ? "" : amzDate));
        } catch (DateTimeParseException e) {
            throw refused("AuthFailure", "AWS was not able to validate the provided access credentials: bad X-Amz-Date");
        }
        if (Duration.between(when, now).abs().compareTo(SKEW) > 0) {
            throw refused("RequestExpired", "Request has expired: X-Amz-Date " + amzDate + " is more than 15 minutes from now");
        }
        if (!amzDate.startsWith(scope[1])) {
            throw refused("AuthFailure", "AWS was not able to validate the provided access credentials:"
                    + " the credential scope's date is not the request's");
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signed) {
            String value = header.apply(name);
            canonicalHeaders.append(name).append(':').append(value == null ? "" : value.strip().replaceAll("\\s+", " ")).append('\n');
        }
        String canonicalRequest = method + "\n" + (rawPath == null || rawPath.isEmpty() ? "/" : rawPath) + "\n"
                + canonicalQuery(rawQuery) + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + hex(sha256(body));
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + String.join("/", scope[1], scope[2], scope[3], scope[4])
                + "\n" + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] signingKey = hmac(("AWS4" + key.secretAccessKey()).getBytes(StandardCharsets.UTF_8), scope[1]);
        signingKey = hmac(hmac(hmac(signingKey, scope[2]), scope[3]), "aws4_request");
        String expected = hex(hmac(signingKey, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            throw refused("SignatureDoesNotMatch", "The request signature we calculated does not match the signature"
                    + " you provided. Check your AWS Secret Access Key and signing method.");
        }
    }

    private static Ec2ApiException refused(String code, String message) {
        return new Ec2ApiException(code, message, 403);
    }

    private static Map<String, String> parts(String text) {
        Map<String, String> parts = new TreeMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return parts;
    }

    /** The client sent the query already encoded as SigV4 wants it; only the order is canonical. */
    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            pairs.add(eq < 0 ? new String[] {pair, ""} : new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        return String.join("&", pairs.stream().map(p -> p[0] + "=" + p[1]).toList());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
