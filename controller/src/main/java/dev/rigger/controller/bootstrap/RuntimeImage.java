package dev.rigger.controller.bootstrap;

import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java runtime shipped to hosts that have none: jlink'ed once from the controller's own JDK, stripped,
 * packed as .tar.gz (gzip is on every host, xz is not) and cached across runs. It is tied to the CPU
 * architecture and to the glibc it was built against, which the bootstrap checks on each host.
 */
public final class RuntimeImage {

    /** What the agent needs: JNA (OSHI) needs java.logging; jdk.unsupported gives libraries sun.misc.Unsafe. */
    public static final List<String> AGENT_MODULES = List.of("java.base", "java.logging", "jdk.unsupported");

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeImage.class);
    private static final long COMMAND_SECONDS = 300;

    private final Path javaHome;
    private final Path cacheDir;
    private final List<String> modules;
    private final String arch;
    private final String id;
    private RuntimeArchive archive;

    public RuntimeImage(Path javaHome, Path cacheDir, List<String> modules) {
        this.javaHome = javaHome;
        this.cacheDir = cacheDir;
        this.modules = List.copyOf(modules);
        this.arch = unameArch(System.getProperty("os.arch"));
        this.id = "jdk-" + sanitize(System.getProperty("java.runtime.version")) + "-" + arch + "-"
                + shortHash(String.join(",", this.modules));
    }

    /** The runtime of the JDK this controller runs on, cached in the user's cache directory. */
    public static RuntimeImage forRunningJdk() {
        return new RuntimeImage(Path.of(System.getProperty("java.home")), defaultCacheDir(), AGENT_MODULES);
    }

    /** {@code $XDG_CACHE_HOME/rigger}, else {@code ~/.cache/rigger}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("rigger");
    }

    /** Names the runtime on hosts; known without building it, so a probe can ask whether a host has it. */
    public String id() {
        return id;
    }

    /** The architecture the runtime runs on, as {@code uname -m} prints it. */
    public String arch() {
        return arch;
    }

    /** The packed runtime: from the cache, or built now (once per JDK, architecture and module set). */
    public synchronized RuntimeArchive archive() throws IOException {
        if (archive == null) {
            archive = cached();
            if (archive == null) {
                archive = build();
            }
        }
        return archive;
    }

    private RuntimeArchive cached() throws IOException {
        Path tarball = tarball();
        Path meta = metadata();
        if (!Files.isRegularFile(tarball) || !Files.isRegularFile(meta)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            properties.load(in);
        }
        long bytes = Files.size(tarball);
        String manifest = properties.getProperty("manifest");
        // a cache from before manifests were kept is built again: hosts are checked against the manifest
        if (!String.valueOf(bytes).equals(properties.getProperty("bytes")) || manifest == null) {
            return null;
        }
        return new RuntimeArchive(id, tarball, properties.getProperty("arch"), properties.getProperty("glibc"), bytes,
                Long.parseLong(properties.getProperty("imageBytes", "0")), manifest);
    }

    private RuntimeArchive build() throws IOException {
        Path jmods = javaHome.resolve("jmods");
        if (!Files.isDirectory(jmods)) {
            throw new BootstrapException("cannot build a runtime for hosts without Java: " + jmods + " is missing"
                    + " (install the full JDK, e.g. Debian's openjdk-17-jdk-headless, which has jmods)");
        }
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new BootstrapException(
                "cannot build a runtime for hosts without Java: the controller's Java at " + javaHome
                        + " has no jlink (it must be a JDK, not a JRE)"));
        String glibc = controllerGlibc();
        Files.createDirectories(cacheDir.resolve("runtime"));
        Path work = Files.createTempDirectory(cacheDir.resolve("runtime"), ".build-");
        try {
            long started = System.nanoTime();
            Path image = work.resolve(id);
            StringWriter output = new StringWriter();
            PrintWriter writer = new PrintWriter(output);
            int status = jlink.run(writer, writer, "--module-path", jmods.toString(),
                    "--add-modules", String.join(",", modules), "--output", image.toString(),
                    "--strip-debug", "--no-header-files", "--no-man-pages");
            writer.flush();
            if (status != 0) {
                throw new BootstrapException("jlink failed (" + status + ") building the host runtime: " + output);
            }
            stripNativeLibraries(image);
            run(List.of(image.resolve("bin/java").toString(), "-version"), "the built runtime does not start");
            long imageBytes = sizeOf(image);
            String manifest = RuntimeManifest.of(image);
            Path packed = work.resolve(id + ".tar.gz");
            run(List.of("tar", "-C", work.toString(), "--owner=0", "--group=0", "--numeric-owner", "-czf",
                    packed.toString(), id), "packing the runtime failed");
            long bytes = Files.size(packed);
            AtomicFiles.moveInto(packed, tarball());
            writeMetadata(glibc, bytes, imageBytes, manifest);
            LOG.info("built the host runtime {} ({} MB unpacked, {} MB packed) in {} ms", id, imageBytes >> 20,
                    bytes >> 20, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new RuntimeArchive(id, tarball(), arch, glibc, bytes, imageBytes, manifest);
        } finally {
            deleteTree(work);
        }
    }

    /** Debian ships libjvm.so unstripped (24 MB, 20 MB stripped); jlink's own option does not shrink it. */
    private static void stripNativeLibraries(Path image) throws IOException {
        List<String> libraries;
        try (Stream<Path> files = Files.walk(image.resolve("lib"))) {
            libraries = files.filter(p -> p.getFileName().toString().endsWith(".so")).map(Path::toString).toList();
        }
        if (libraries.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("strip", "--strip-unneeded"));
        command.addAll(libraries);
        try {
            run(command, "strip failed on the runtime's libraries");
        } catch (IOException e) {
            if (e.getCause() instanceof IOException missing && missing.getMessage() != null
                    && missing.getMessage().contains("error=2")) {
                LOG.info("strip is not installed; the host runtime keeps its symbols (about 4 MB more)");
                return;
            }
            throw e;
        }
    }

    /** The glibc the controller runs on: the JDK's native code was built for it, so hosts need at least it. */
    static String controllerGlibc() throws IOException {
        for (List<String> command : List.of(List.of("getconf", "GNU_LIBC_VERSION"), List.of("ldd", "--version"))) {
            try {
                String out = run(command, "cannot read the controller's glibc version");
                String version = Versions.glibc(out.lines().findFirst().orElse(""));
                if (version != null) {
                    return version;
                }
            } catch (IOException e) {
                LOG.debug("{} did not tell the glibc version: {}", command, e.getMessage());
            }
        }
        throw new BootstrapException("cannot tell which glibc the controller uses (neither getconf GNU_LIBC_VERSION"
                + " nor ldd --version answered); the host runtime needs it to be checked against hosts");
    }

    private void writeMetadata(String glibc, long bytes, long imageBytes, String manifest) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("arch", arch);
        properties.setProperty("glibc", glibc);
        properties.setProperty("bytes", String.valueOf(bytes));
        properties.setProperty("imageBytes", String.valueOf(imageBytes));
        properties.setProperty("modules", String.join(",", modules));
        properties.setProperty("manifest", manifest);
        StringWriter text = new StringWriter();
        properties.store(text, "rigger host runtime");
        AtomicFiles.write(metadata(), text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private Path tarball() {
        return cacheDir.resolve("runtime").resolve(id + ".tar.gz");
    }

    private Path metadata() {
        return cacheDir.resolve("runtime").resolve(id + ".properties");
    }

    private static String run(List<String> command, String failure) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(failure + ": cannot run " + command.get(0), e);
        }
        try (InputStream in = process.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(failure + ": " + command.get(0) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IOException(failure + ": " + command.get(0) + " exited " + process.exitValue() + ": "
                        + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(failure + ": interrupted", e);
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Java says amd64 where uname -m (and the host probe) says x86_64. */
    static String unameArch(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> javaArch;
        };
    }

    private static String sanitize(String text) {
        return text.replaceAll("[^A-Za-z0-9._+-]", "_");
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
