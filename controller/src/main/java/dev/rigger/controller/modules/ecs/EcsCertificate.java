package dev.rigger.controller.modules.ecs;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.rigger.controller.modules.HostAccess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * ECS's management certificate as its container holds it, read through the host's Docker over SSH
 * ({@link HostAccess#docker()}): a file in the container's own file system, which no user of the host but root can
 * change. Docker hands a file out as a tar stream of one entry.
 */
final class EcsCertificate implements EcsTrust.Source {
    /** A PEM certificate is a few KiB; anything much larger is not one. */
    private static final int MAX_BYTES = 256 * 1024;

    private final String host;
    private final HostAccess access;
    private final String container;
    private final String path;

    EcsCertificate(String host, HostAccess access, String container, String path) {
        this.host = host;
        this.access = access;
        this.container = container;
        this.path = path;
    }

    @Override
    public String describe() {
        return container + ":" + path + " on " + host;
    }

    @Override
    public X509Certificate read() throws IOException, CertificateException {
        byte[] pem;
        try (InputStream tar = access.docker().copyArchiveFromContainerCmd(container, path).exec()) {
            pem = firstEntry(tar);
        } catch (NotFoundException e) {
            throw new IOException("no " + path + " in container " + container + " (yet)");
        }
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new CertificateException(describe() + " is not a PEM certificate");
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    /** The content of the first regular file in a tar stream (ustar; PAX headers skipped). */
    static byte[] firstEntry(InputStream tar) throws IOException {
        byte[] header = new byte[512];
        while (true) {
            if (tar.readNBytes(header, 0, 512) < 512 || header[0] == 0) {
                throw new IOException("the tar stream ended before a file");
            }
            long size;
            try {
                size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
            } catch (NumberFormatException e) {
                throw new IOException("not a tar stream");
            }
            char type = (char) header[156];
            if (size < 0 || size > MAX_BYTES) {
                throw new IOException("the file is " + size + " bytes, not a certificate");
            }
            byte[] content = tar.readNBytes((int) size);
            if (content.length < size) {
                throw new IOException("the tar stream ended inside the file");
            }
            tar.skipNBytes((512 - size % 512) % 512);
            if (type == '0' || type == '\0') {
                return content;
            }
        }
    }
}
