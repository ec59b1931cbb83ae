package dev.rigger.controller.bootstrap;

import java.nio.file.Path;

/**
 * A packed Java runtime for hosts without Java: a .tar.gz whose single top directory is {@code id}.
 *
 * @param id           names the runtime on the host ({@code <root>/runtime/<id>/bin/java})
 * @param file         the .tar.gz in the controller's cache
 * @param arch         CPU architecture as {@code uname -m} names it (x86_64, aarch64)
 * @param glibcVersion the oldest glibc the runtime runs on (the one it was built against)
 * @param bytes        size of the .tar.gz
 * @param imageBytes   size of the unpacked runtime
 * @param manifest     the {@link RuntimeManifest} hash of the runtime once unpacked on a host
 */
public record RuntimeArchive(String id, Path file, String arch, String glibcVersion, long bytes, long imageBytes,
                             String manifest) {
}
