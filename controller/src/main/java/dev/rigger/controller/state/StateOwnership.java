package dev.rigger.controller.state;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The state directory holds the API token, the trusted host keys, the server's address and the fleet's SSH
 * key: rigger trusts it only when it belongs to the user running rigger and no one else can write it. A
 * user who could replace {@code serve.json} would receive the token; one who could add a line to
 * {@code known_hosts} would be trusted as any host.
 */
public final class StateOwnership {
    /** The files whose content rigger trusts; keys/ is checked with every entry in it. */
    private static final List<String> TRUSTED = List.of("serve.token", "known_hosts", "serve.json", "state.json",
            "serve-tls.key", "serve-tls.crt", "keys");
    private static final List<String> LAB_FILES = List.of("inventory.json", "known_hosts", "id_ed25519");
    private static final FileAttribute<?> OWNER_ONLY_DIR = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------"));

    /** A state directory, or a file in it, that another user owns or may write. */
    public static final class UntrustedStateException extends IOException {
        UntrustedStateException(String message) {
            super(message);
        }
    }

    private StateOwnership() {
    }

    /** Checks {@code stateDir} and its trusted files; a directory that does not exist yet passes (it is made 0700). */
    public static void check(Path stateDir) throws IOException {
        if (!Files.exists(stateDir)) {
            return;
        }
        int me = currentUid();
        List<Path> paths = new ArrayList<>();
        paths.add(stateDir);
        for (String name : TRUSTED) {
            Path p = stateDir.resolve(name);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                paths.add(p);
            }
        }
        Path keys = stateDir.resolve("keys");
        if (Files.isDirectory(keys, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(keys)) {
                entries.forEach(paths::add);
            }
        }
        // a lab's inventory, host keys and login key are read as the state's own
        Path labs = stateDir.resolve("lab");
        if (Files.isDirectory(labs, LinkOption.NOFOLLOW_LINKS)) {
            paths.add(labs);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(labs, Files::isDirectory)) {
                for (Path lab : entries) {
                    paths.add(lab);
                    for (String name : LAB_FILES) {
                        if (Files.exists(lab.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                            paths.add(lab.resolve(name));
                        }
                    }
                }
            }
        }
        for (Path p : paths) {
            checkOne(p, me, !p.equals(stateDir));
        }
    }

    /** Makes the state directory (and missing parents) readable by its owner only. */
    public static void createDirectory(Path stateDir) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            Files.createDirectories(stateDir, OWNER_ONLY_DIR);
        }
    }

    private static void checkOne(Path path, int me, boolean inside) throws IOException {
        if (inside && Files.isSymbolicLink(path)) {
            // a link's own mode says nothing; who made it does, and then what it points to
            checkAttributes(path, me, LinkOption.NOFOLLOW_LINKS);
        }
        checkAttributes(path, me);
    }

    private static void checkAttributes(Path path, int me, LinkOption... options) throws IOException {
        int uid;
        int mode;
        try {
            uid = (Integer) Files.getAttribute(path, "unix:uid", options);
            mode = (Integer) Files.getAttribute(path, "unix:mode", options);
        } catch (NoSuchFileException e) {
            throw new UntrustedStateException(path + ": a link to a file that does not exist; rigger will not follow it"
                    + " (remove it)");
        }
        boolean link = options.length > 0;
        boolean foreign = uid != me;
        boolean writable = !link && (mode & 0022) != 0;
        if (!foreign && !writable) {
            return;
        }
        String what = (link ? "a link " : "") + "owned by uid " + uid + ownerName(path, options)
                + (link ? "" : ", mode " + String.format("%04o", mode & 07777));
        StringBuilder fix = new StringBuilder();
        if (foreign) {
            fix.append("chown ").append(me).append(' ').append(path);
        }
        if (writable) {
            fix.append(fix.isEmpty() ? "" : " && ").append("chmod go-w ").append(path);
        }
        throw new UntrustedStateException(path + ": " + what + "; the state directory and its files must belong to the user"
                + " running rigger (uid " + me + ") and be writable by no one else, or another user could take the API token"
                + " or be trusted as a host. Check who changed it, then: " + fix);
    }

    private static String ownerName(Path path, LinkOption... options) {
        try {
            String name = Files.getOwner(path, options).getName();
            return name.matches("\\d+") ? "" : " (" + name + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** The effective uid of this process: /proc/self belongs to it. */
    static int currentUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
