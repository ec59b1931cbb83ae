package dev.rigger.controller.docker;

import dev.rigger.controller.ssh.Prerequisites;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tiny images made on this machine, no registry: a static busybox (Debian package busybox-static) in an
 * otherwise empty root, imported with {@code docker import}. Each has a unique tag; remove them afterwards.
 */
public final class TestImages {
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private final List<String> made = new ArrayList<>();

    public static void requireBusybox() {
        Prerequisites.require(Files.isExecutable(BUSYBOX), "a static busybox at " + BUSYBOX
                + " (Debian package busybox-static)");
        Prerequisites.require(onPath("docker"), "the docker command line (Debian package docker.io)");
        Prerequisites.require(onPath("tar"), "tar");
    }

    /** A fresh busybox image tagged {@code rigger-test/busybox:<unique>}. */
    public String busybox() throws Exception {
        return busybox(0);
    }

    /** A fresh busybox image carrying {@code extraBytes} of random data (incompressible, for shipping). */
    public String busybox(long extraBytes) throws Exception {
        requireBusybox();
        String name = "rigger-test/busybox:" + UUID.randomUUID().toString().substring(0, 12);
        Path root = Files.createTempDirectory("rigger-image");
        try {
            Files.createDirectories(root.resolve("bin"));
            Files.createDirectories(root.resolve("tmp"));
            Files.copy(BUSYBOX, root.resolve("bin/busybox"));
            Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
            Files.writeString(root.resolve("image-id"), name + "\n");
            if (extraBytes > 0) {
                writeRandom(root.resolve("payload"), extraBytes);
            }
            run(List.of("sh", "-c", "tar -C \"$1\" -c . | docker import -c 'CMD [\"/bin/sh\"]' - \"$2\"", "sh",
                    root.toString(), name));
            made.add(name);
            return name;
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Makes {@link #removeAll()} remove this image too (one a test tagged itself). */
    public void remember(String name) {
        made.add(name);
    }

    public void removeAll() throws Exception {
        for (String name : made) {
            run(List.of("sh", "-c", "docker rmi -f \"$1\" >/dev/null 2>&1 || true", "sh", name));
        }
        made.clear();
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        Random random = new Random();
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    public static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("failed (" + String.join(" ", command) + "): " + out);
        }
        return out;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
