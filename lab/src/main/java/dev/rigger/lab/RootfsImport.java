package dev.rigger.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Streams a root file system directory through tar(1) into dockerd as an image: {@code tar -c | docker import}. */
public final class RootfsImport {
    private RootfsImport() {
    }

    /**
     * Imports {@code rootfs} as {@code repository:tag} with the given image settings. {@code tarOptions} come
     * before {@code -C rootfs -cf - .}; {@code watch} may wrap the stream (to report progress).
     */
    public static void run(LocalDockerConnection dockerd, Path rootfs, List<String> tarOptions, String repository,
                           String tag, List<String> changes, UnaryOperator<InputStream> watch) {
        List<String> argv = new ArrayList<>();
        argv.add("tar");
        argv.addAll(tarOptions);
        argv.addAll(List.of("-C", rootfs.toString(), "-cf", "-", "."));
        Process tar;
        try {
            tar = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new LabException("cannot start tar over " + rootfs + ": " + e.getMessage(), e);
        }
        try (InputStream stream = watch.apply(tar.getInputStream())) {
            tar.getOutputStream().close();
            dockerd.importImage(stream, repository, tag, changes);
            if (tar.waitFor() != 0) {
                throw new LabException("tar over " + rootfs + " exited " + tar.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("import of " + rootfs + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while importing " + repository + ":" + tag, e);
        } finally {
            tar.destroyForcibly();
        }
    }
}
