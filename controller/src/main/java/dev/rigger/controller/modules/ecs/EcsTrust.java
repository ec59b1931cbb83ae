package dev.rigger.controller.modules.ecs;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one certificate: the one ECS's container holds, read over SSH ({@link EcsCertificate}).
 * ECS's certificate is self-signed (reference §3.1), so no CA vouches for it; pinning is what keeps a
 * listener that is not ECS from receiving the root password. The pin is looked up at the first handshake
 * (ECS writes it while booting) and kept once found.
 */
public final class EcsTrust {
    /** A certificate that is not the pinned one: never retried, the run stops. */
    static final class MismatchException extends CertificateException {
        MismatchException(String message) {
            super(message);
        }
    }

    /** Where the pinned certificate comes from; throws while it cannot be read yet. */
    interface Source {
        X509Certificate read() throws Exception;

        String describe();
    }

    private EcsTrust() {
    }

    static SSLContext pinned(Source source) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new X509ExtendedTrustManager[]{new Pinned(source)}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    /** Trusts exactly {@code certificate}, for a client that already holds ECS's certificate. */
    public static SSLContext pinnedTo(X509Certificate certificate) {
        return pinned(new Source() {
            @Override public X509Certificate read() {
                return certificate;
            }

            @Override public String describe() {
                return "the certificate given";
            }
        });
    }

    static String fingerprint(X509Certificate c) {
        try {
            return "SHA256:" + HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            return "(no fingerprint: " + e.getMessage() + ")";
        }
    }

    private static final class Pinned extends X509ExtendedTrustManager {
        private final Source source;
        private volatile X509Certificate pin;

        Pinned(Source source) {
            this.source = source;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new MismatchException("the management API presented no certificate");
            }
            X509Certificate expected = pin();
            if (!MessageDigest.isEqual(expected.getEncoded(), chain[0].getEncoded())) {
                throw new MismatchException("the management API presented certificate " + fingerprint(chain[0])
                        + " (" + chain[0].getSubjectX500Principal() + "), not ECS's own " + fingerprint(expected)
                        + " from " + source.describe() + ": something else is listening on ECS's port");
            }
        }

        private X509Certificate pin() throws CertificateException {
            X509Certificate p = pin;
            if (p == null) {
                try {
                    p = source.read();
                } catch (Exception e) {
                    throw new CertificateException("cannot read ECS's certificate from " + source.describe() + " yet: "
                            + e.getMessage(), e);
                }
                pin = p;
            }
            return p;
        }

        @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
            check(c);
        }

        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
            check(c);
        }

        @Override public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
            check(c);
        }

        @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
