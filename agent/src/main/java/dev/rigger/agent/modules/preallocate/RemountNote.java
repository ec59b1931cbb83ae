package dev.rigger.agent.modules.preallocate;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What an unmount step leaves behind so that a run killed while the filesystem is unmounted can be
 * completed by the next one even without an fstab line: device, type and options. It lives under /run
 * because device names are only good until the next boot, and the mount step deletes it.
 */
record RemountNote(String device, String type, String options) {
    static final Path DIR = Path.of("/run/rigger/preallocate");

    static Path fileFor(String mountpoint) {
        return DIR.resolve(URLEncoder.encode(mountpoint, StandardCharsets.UTF_8) + ".properties");
    }

    void write(String mountpoint) throws IOException {
        Properties p = new Properties();
        p.setProperty("device", device);
        p.setProperty("type", type);
        p.setProperty("options", options);
        StringWriter text = new StringWriter();
        p.store(text, "mount again after preallocate of " + mountpoint);
        Files.createDirectories(DIR);
        Path tmp = Files.createTempFile(DIR, ".note-", ".tmp");
        Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, fileFor(mountpoint), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<RemountNote> read(String mountpoint) {
        Path file = fileFor(mountpoint);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            String device = p.getProperty("device");
            if (device == null || device.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new RemountNote(device, p.getProperty("type", "xfs"), p.getProperty("options", "defaults")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static void delete(String mountpoint) {
        try {
            Files.deleteIfExists(fileFor(mountpoint));
        } catch (IOException e) {
            // a stale note is read only while the path is unmounted and has no fstab line; the next unmount replaces it
        }
    }
}
