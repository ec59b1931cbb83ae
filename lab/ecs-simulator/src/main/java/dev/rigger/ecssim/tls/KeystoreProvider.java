package dev.rigger.ecssim.tls;

import dev.rigger.ecssim.ConsoleLog;

import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The TLS identity of the management port: a PKCS12 keystore. When the configured file is absent, a
 * self-signed certificate is made and written there (mode 0600), so a restarted container presents
 * the same certificate, as ECS does. The certificate (not the key) is also written as PEM beside it,
 * {@code management.pem}: a client that can read the container's files (the controller, over SSH and
 * Docker) pins it instead of trusting whatever answers on the port.
 */
public final class KeystoreProvider {
    public static final String ALIAS = "ecssim";
    public static final String CERTIFICATE_FILE = "management.pem";

    private final Path file;
    private final char[] password;

    public KeystoreProvider(Path file, char[] password) {
        this.file = file;
        this.password = password.clone();
    }

    public SSLContext sslContext(String commonName, List<String> names) throws IOException, GeneralSecurityException {
        KeyStore store = Files.exists(file) ? load() : create(commonName, names);
        writePem(keyCertificate(store), file.resolveSibling(CERTIFICATE_FILE));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** The certificate of the key the server presents: a keystore made elsewhere (keytool) names it as it likes. */
    private static Certificate keyCertificate(KeyStore store) throws GeneralSecurityException, IOException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && store.getCertificate(alias) != null) {
                return store.getCertificate(alias);
            }
        }
        throw new IOException("the keystore holds no key with a certificate");
    }

    private static void writePem(Certificate certificate, Path pem) throws IOException, GeneralSecurityException {
        String text = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        AtomicFiles.write(pem, text.getBytes(StandardCharsets.US_ASCII), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private KeyStore load() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        } catch (IOException e) {
            throw new IOException("keystore " + file + " not readable with ECSSIM_KEYSTORE_PASSWORD ("
                    + e.getMessage() + ")", e);
        }
        ConsoleLog.boot("using TLS keystore " + file);
        return store;
    }

    private KeyStore create(String commonName, List<String> names) throws IOException, GeneralSecurityException {
        SelfSignedCertificateFactory.Issued issued = new SelfSignedCertificateFactory().issue(commonName, names);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        store.setKeyEntry(ALIAS, issued.keyPair().getPrivate(), password, new Certificate[] {issued.certificate()});
        AtomicFiles.write(file, AtomicFiles.OWNER_ONLY, out -> {
            try {
                store.store(out, password);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot store the keystore: " + e.getMessage(), e);
            }
        });
        ConsoleLog.boot("generated self-signed TLS certificate for " + String.join(", ", names) + " in " + file);
        return store;
    }
}
