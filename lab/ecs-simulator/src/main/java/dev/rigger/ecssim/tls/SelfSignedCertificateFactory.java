package dev.rigger.ecssim.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes a self-signed RSA certificate with JDK-only code (ECS ships a self-signed certificate on 4443 too).
 * The subject alternative names hold the node's names and addresses, so a client that trusts the
 * certificate can also verify the host name. RSA keeps the key itself inside java.base.
 */
public final class SelfSignedCertificateFactory {
    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    public record Issued(KeyPair keyPair, X509Certificate certificate) {
    }

    public Issued issue(String commonName, List<String> names) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] algorithm = Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nul());
        byte[] name = Der.sequence(
                Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8("rigger ECS simulator"))),
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
        ZonedDateTime now = ZonedDateTime.now();
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)),
                Der.integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE)),
                algorithm,
                name,
                Der.sequence(Der.utcTime(now.minusDays(1)), Der.utcTime(now.plusYears(10))),
                name,
                pair.getPublic().getEncoded(),
                Der.explicit(3, Der.sequence(Der.sequence(Der.oid(SUBJECT_ALT_NAME),
                        Der.octets(Der.sequence(alternativeNames(names)))))));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bits(signer.sign()));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        certificate.verify(pair.getPublic());
        return new Issued(pair, certificate);
    }

    /** dNSName is [2], iPAddress is [7], both implicitly tagged. */
    private static byte[][] alternativeNames(List<String> names) {
        Set<String> unique = new LinkedHashSet<>(names);
        List<byte[]> encoded = new ArrayList<>();
        for (String name : unique) {
            if (name == null || name.isBlank()) {
                continue;
            }
            if (name.matches("[0-9.]+")) {
                try {
                    encoded.add(Der.tlv(0x87, InetAddress.getByName(name).getAddress()));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("not an IPv4 address: " + name, e);
                }
            } else {
                encoded.add(Der.tlv(0x82, name.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            }
        }
        return encoded.toArray(new byte[0][]);
    }
}
