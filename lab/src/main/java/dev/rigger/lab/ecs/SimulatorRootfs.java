package dev.rigger.lab.ecs;

import dev.rigger.lab.LabException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/** Lays out the simulator image's root file system in a directory: runtime, libraries, jar, keystore, /etc. */
final class SimulatorRootfs {
    private SimulatorRootfs() {
    }

    static void assemble(SimulatorImageRecipe recipe, byte[] simulatorJar, Path rootfs, Consumer<String> progress) {
        try {
            Files.createDirectories(rootfs);
            Path runtime = inside(rootfs, EcsSimulatorImage.JAVA_HOME);
            jlink(recipe.modules(), runtime);
            stripLibraries(runtime);
            copySharedLibraries(runtime, rootfs);
            Path jar = inside(rootfs, EcsSimulatorImage.JAR);
            Files.createDirectories(jar.getParent());
            Files.write(jar, simulatorJar);
            writeEtc(rootfs);
            makeKeystore(inside(rootfs, EcsSimulatorImage.KEYSTORE));
            progress.accept("simulator rootfs: runtime, " + EcsSimulatorImage.JAR + " and a self-signed keystore");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the simulator rootfs in " + rootfs, e);
        }
    }

    /** A stripped runtime of the JDK running rigger, with {@code modules} only. */
    private static void jlink(List<String> modules, Path output) throws IOException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path jmods = javaHome.resolve("jmods");
        if (!Files.isDirectory(jmods)) {
            throw new LabException("no " + jmods + ": jlink needs the JDK's jmods (on Debian 12 they come with "
                    + "openjdk-" + Runtime.version().feature() + "-jdk-headless)");
        }
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new LabException(
                "the Java runtime at " + javaHome + " has no jlink: run rigger on a full JDK"));
        Files.createDirectories(output.getParent());
        StringWriter out = new StringWriter();
        int code = jlink.run(new PrintWriter(out), new PrintWriter(out), "--module-path", jmods.toString(),
                "--add-modules", String.join(",", modules), "--strip-debug", "--no-header-files",
                "--no-man-pages", "--output", output.toString());
        if (code != 0) {
            throw new LabException("jlink of " + String.join(",", modules) + " from " + jmods + " exited " + code
                    + ": " + out.toString().strip());
        }
    }

    /** jlink's --strip-debug leaves the native symbols: Debian's libjvm.so shrinks by about 4 MB more. */
    private static void stripLibraries(Path runtime) throws IOException {
        if (!HostCommand.available("strip")) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("strip", "--strip-unneeded"));
        try (Stream<Path> walk = Files.walk(runtime.resolve("lib"))) {
            walk.filter(p -> p.getFileName().toString().endsWith(".so") && Files.isRegularFile(p))
                    .forEach(p -> argv.add(p.toString()));
        }
        HostCommand.run(argv).orThrow();
    }

    /** Copies each library the runtime needs to the same path in the rootfs, as a file (links followed). */
    private static void copySharedLibraries(Path runtime, Path rootfs) throws IOException {
        for (String library : SharedLibraries.neededBy(runtime)) {
            Path target = inside(rootfs, library);
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(library), target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Just enough for the JVM to find its user (user.home) and a writable /tmp; no nsswitch.conf. */
    private static void writeEtc(Path rootfs) throws IOException {
        Path etc = inside(rootfs, "/etc");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
        Path root = Files.createDirectories(inside(rootfs, "/root"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        Path tmp = Files.createDirectories(inside(rootfs, "/tmp"));
        // 1777: Files.setPosixFilePermissions cannot set the sticky bit
        HostCommand.run(List.of("chmod", "1777", tmp.toString())).orThrow();
    }

    /**
     * A PKCS12 keystore with a self-signed certificate for the simulator's HTTPS port, made by keytool. RSA,
     * because every TLS client accepts it and java.base alone can use it.
     */
    private static void makeKeystore(Path keystore) throws IOException {
        Files.createDirectories(keystore.getParent());
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        HostCommand.run(List.of(keytool.toString(), "-genkeypair", "-alias", "ecs-simulator", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=ecs-simulator", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", EcsSimulatorImage.KEYSTORE_PASSWORD, "-keypass", EcsSimulatorImage.KEYSTORE_PASSWORD))
                .orThrow();
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-------"));
    }

    private static Path inside(Path rootfs, String absolute) {
        return rootfs.resolve(absolute.substring(1));
    }
}
