package dev.rigger.controller.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One sha256 over a runtime directory as installed on a host: every entry's type, mode, owner and path, every
 * symbolic link's target and every file's content. The host computes it with find and sha256sum (the
 * {@link #command() command}), the controller from the image it built ({@link #of(Path)}); a file changed,
 * added, removed, re-linked or re-moded on the host changes it. Nothing stored on the host is trusted: a
 * manifest file kept beside the runtime would prove nothing to someone able to edit both.
 */
final class RuntimeManifest {

    private RuntimeManifest() {
    }

    /**
     * A shell snippet that prints the manifest hash of the current directory (GNU find and coreutils). Its
     * three parts, each in byte order: {@code <type> <mode> <uid> <path>} per entry, {@code <path> -> <target>}
     * per symbolic link, {@code <sha256>  <path>} per file.
     */
    static String command() {
        return "{ find . -printf '%y %m %U %p\\n' | LC_ALL=C sort;"
                + " find . -type l -printf '%p -> %l\\n' | LC_ALL=C sort;"
                + " find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum; } | sha256sum | cut -c1-64";
    }

    /**
     * A shell snippet that prints a hash of the current directory's entries with their inode, size and change time
     * (ctime: set by the kernel on every change of content or metadata, and not settable by anyone but root). Cheap:
     * no file is read. Kept beside the runtime by root with the manifest hash, it lets the probe skip re-reading
     * 40 MB of unchanged files on every run.
     */
    static String stampCommand() {
        return "find . -printf '%y %m %U %s %i %C@ %p\\n' | LC_ALL=C sort | sha256sum | cut -c1-64";
    }

    /** The manifest hash {@code dir} will have once unpacked on a host by root (every entry owned by uid 0). */
    static String of(Path dir) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(dir)) {
            entries = walk.toList();
        }
        List<String> listing = new ArrayList<>();
        List<String> links = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (Path entry : entries) {
            String path = relative(dir, entry);
            if (Files.isSymbolicLink(entry)) {
                listing.add("l 777 0 " + path);
                links.add(path + " -> " + Files.readSymbolicLink(entry));
            } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                listing.add("d " + mode(entry) + " 0 " + path);
            } else {
                listing.add("f " + mode(entry) + " 0 " + path);
                files.add(path);
            }
        }
        listing.sort(null);
        links.sort(null);
        files.sort(null);
        StringBuilder text = new StringBuilder();
        listing.forEach(line -> text.append(line).append('\n'));
        links.forEach(line -> text.append(line).append('\n'));
        for (String file : files) {
            text.append(sha256(dir.resolve(file))).append("  ").append(file).append('\n');
        }
        return HexFormat.of().formatHex(digest().digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String relative(Path dir, Path entry) {
        String rel = dir.relativize(entry).toString();
        return rel.isEmpty() ? "." : "./" + rel;
    }

    private static String mode(Path entry) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(entry, LinkOption.NOFOLLOW_LINKS);
        int bits = 0;
        for (PosixFilePermission permission : permissions) {
            bits |= 1 << (8 - permission.ordinal());
        }
        return Integer.toOctalString(bits);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
