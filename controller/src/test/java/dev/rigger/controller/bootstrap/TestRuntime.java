package dev.rigger.controller.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** One runtime build shared by the tests of a JVM (jlink takes seconds), in a temp cache removed at exit. */
final class TestRuntime {

    private static RuntimeImage image;
    private static Path cacheDir;

    private TestRuntime() {
    }

    static synchronized RuntimeImage image() throws IOException {
        if (image == null) {
            cacheDir = Files.createTempDirectory("rigger-runtime-cache");
            Runtime.getRuntime().addShutdownHook(new Thread(TestRuntime::deleteCache));
            image = new RuntimeImage(Path.of(System.getProperty("java.home")), cacheDir, RuntimeImage.AGENT_MODULES);
        }
        return image;
    }

    static synchronized Path cacheDir() throws IOException {
        image();
        return cacheDir;
    }

    private static void deleteCache() {
        try (Stream<Path> files = Files.walk(cacheDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
