package dev.rigger.controller.serve;

import dev.rigger.files.AtomicFiles;
import dev.rigger.controller.state.StateOwnership;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The certificate and key {@code rigger serve} speaks TLS with: given as PEM files ({@code --tls-cert},
 * {@code --tls-key}), or self-signed, made at the first start into the state directory and reused after. The
 * CLI pins the certificate by its SHA-256 (written to serve.json), so a self-signed one is as good as any.
 *
 * @param fingerprint SHA-256 of the certificate's DER encoding, lowercase hex
 */
public record ServeTls(Path certFile, Path keyFile, String fingerprint) {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public static Path selfSignedCert(Path stateDir) {
        return stateDir.resolve("serve-tls.crt");
    }

    public static Path selfSignedKey(Path stateDir) {
        return stateDir.resolve("serve-tls.key");
    }

    /** True when {@code bind} is a loopback address, the only kind plain HTTP may listen on. */
    public static boolean loopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Given PEM files: the certificate must parse, the key must be a PEM private key that others cannot read. */
    public static ServeTls of(Path certFile, Path keyFile) throws IOException {
        String fingerprint = PinnedCertificate.fingerprint(readCertificate(certFile, "--tls-cert"));
        if (!Files.isRegularFile(keyFile) || !Files.isReadable(keyFile)) {
            throw new IOException("--tls-key: " + keyFile + " is not a readable file");
        }
        String key = Files.readString(keyFile, StandardCharsets.US_ASCII);
        if (!key.contains("-----BEGIN") || !key.contains("PRIVATE KEY-----")) {
            throw new IOException("--tls-key: " + keyFile + ": expected a PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (Files.getPosixFilePermissions(keyFile).contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException("--tls-key: " + keyFile + " is readable by every user; chmod o-r " + keyFile);
        }
        return new ServeTls(certFile.toAbsolutePath(), keyFile.toAbsolutePath(), fingerprint);
    }

    /**
     * The state directory's self-signed certificate, made now if there is none: an EC P-256 key by the JDK's
     * keytool (no library of ours makes certificates), named for loopback, localhost and {@code bind}.
     */
    public static ServeTls selfSigned(Path stateDir, String bind) throws IOException {
        Path cert = selfSignedCert(stateDir);
        Path key = selfSignedKey(stateDir);
        if (!Files.exists(cert) || !Files.exists(key)) {
            make(stateDir, bind, cert, key);
        }
        return of(cert, key);
    }

    private static void make(Path stateDir, String bind, Path cert, Path key) throws IOException {
        StateOwnership.createDirectory(stateDir);
        Path work = Files.createTempDirectory(stateDir, ".tls", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path store = work.resolve("serve.p12");
        String password = ServeProof.random();
        List<String> san = new ArrayList<>(List.of("ip:127.0.0.1", "ip:::1", "dns:localhost"));
        if (!loopback(bind) && !bind.equals("0.0.0.0") && !bind.equals("::")) {
            san.add(bind.matches("[0-9.]+|[0-9a-fA-F:]+") ? "ip:" + bind : "dns:" + bind);
        }
        try {
            ProcessBuilder keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "serve", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                    "-dname", "CN=rigger serve", "-ext", "SAN=" + String.join(",", san),
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    // the password through the environment: a command line is visible to every user
                    "-storepass:env", "RIGGER_TLS_STOREPASS", "-keypass:env", "RIGGER_TLS_STOREPASS")
                    .redirectErrorStream(true);
            keytool.environment().put("RIGGER_TLS_STOREPASS", password);
            Process p = keytool.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("cannot make a self-signed certificate with keytool: " + output);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password.toCharArray());
            }
            Key privateKey = ks.getKey("serve", password.toCharArray());
            Certificate certificate = ks.getCertificate("serve");
            AtomicFiles.write(key, pem("PRIVATE KEY", privateKey.getEncoded()), OWNER_ONLY);
            AtomicFiles.write(cert, pem("CERTIFICATE", certificate.getEncoded()), OWNER_ONLY);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate keytool made: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making a self-signed certificate", e);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(work);
        }
    }

    private static byte[] pem(String type, byte[] der) {
        return ("-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static X509Certificate readCertificate(Path file, String option) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException(option + ": " + file + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException | ClassCastException e) {
            throw new IOException(option + ": " + file + ": expected a PEM X.509 certificate (" + e.getMessage() + ")");
        }
    }
}
