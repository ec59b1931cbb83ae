package dev.rigger.controller.serve;

import dev.rigger.controller.security.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a server shows the CLI that it is the {@code rigger serve} of the CLI's state directory before the CLI
 * sends it the token: the CLI sends a fresh random challenge, and the server answers with an HMAC-SHA256 of
 * it keyed by the token, bound to this start's nonce (from {@code serve.json}) and to the address and port
 * the CLI dialled. Only a process that knows the token can answer, and the token itself never crosses the
 * connection. Binding the port means a process squatting serve.json's port cannot relay the challenge to a
 * real server listening elsewhere and pass its answer off as its own.
 */
public final class ServeProof {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final Secret token;
    private final String nonce;

    public ServeProof(Secret token, String nonce) {
        this.token = token;
        this.nonce = nonce;
    }

    /** 32 random bytes in hex: a start's nonce, or a CLI's challenge. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** True when {@code challenge} has the shape {@link #random()} gives it; anything else is not answered. */
    public static boolean wellFormed(String challenge) {
        return challenge != null && challenge.matches("[0-9a-f]{64}");
    }

    public String nonce() {
        return nonce;
    }

    /** The answer to {@code challenge} from the server listening on {@code bind}:{@code port}. */
    public String answer(String bind, int port, String challenge) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String message = "rigger-serve-proof\n" + nonce + "\n" + bind + "\n" + port + "\n" + challenge;
            return HEX.formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Compares a received answer with the expected one in constant time. */
    public boolean accepts(String bind, int port, String challenge, String received) {
        return received != null && MessageDigest.isEqual(answer(bind, port, challenge).getBytes(StandardCharsets.UTF_8),
                received.getBytes(StandardCharsets.UTF_8));
    }
}
