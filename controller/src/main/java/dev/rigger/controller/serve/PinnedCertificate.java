package dev.rigger.controller.serve;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts exactly one certificate, named by the SHA-256 of its encoding: the one {@code rigger serve} recorded
 * in {@code serve.json}. No CA is consulted, so a self-signed certificate works and no other one does, whoever
 * signed it. The host name is not checked: the pin already names the server.
 */
public final class PinnedCertificate {
    private static final HexFormat HEX = HexFormat.of();

    private final String fingerprint;

    public PinnedCertificate(String fingerprint) {
        this.fingerprint = fingerprint.toLowerCase(Locale.ROOT);
    }

    /** The SHA-256 of a certificate's DER encoding, in lowercase hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
        }
    }

    public SSLSocketFactory socketFactory() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager()}, new SecureRandom());
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every JDK", e);
        }
    }

    public HostnameVerifier hostnameVerifier() {
        return (host, session) -> true;
    }

    private X509TrustManager trustManager() {
        return new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain == null || chain.length == 0) {
                    throw new CertificateException("the server sent no certificate");
                }
                String seen = fingerprint(chain[0]);
                if (!MessageDigest.isEqual(seen.getBytes(StandardCharsets.US_ASCII),
                        fingerprint.getBytes(StandardCharsets.US_ASCII))) {
                    throw new CertificateException("the server's certificate (SHA-256 " + seen
                            + ") is not the one serve.json pins (" + fingerprint + ")");
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a client trusts no client");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
