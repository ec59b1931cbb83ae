package dev.rigger.agent.modules.step;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipalLookupService;

/** Owner, group and mode of files, where owners are numbers (444) or names (root), as playbooks give them. */
public final class Owners {
    private Owners() {
    }

    public static boolean ownerMatches(Path path, String wanted) throws IOException {
        return wanted == null || matches(path, wanted, "uid", Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName());
    }

    public static boolean groupMatches(Path path, String wanted) throws IOException {
        if (wanted == null) {
            return true;
        }
        String name = Files.readAttributes(path, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).group().getName();
        return matches(path, wanted, "gid", name);
    }

    public static boolean modeMatches(Path path, Integer wanted) throws IOException {
        return wanted == null || mode(path) == wanted;
    }

    public static int mode(Path path) throws IOException {
        return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }

    public static String ownerOf(Path path) throws IOException {
        return String.valueOf(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    public static String groupOf(Path path) throws IOException {
        return String.valueOf(Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    }

    /** Changes owner and/or group of the path itself through an O_NOFOLLOW descriptor; a link there is refused. */
    public static void setOwner(Path path, String owner, String group) throws IOException {
        try (DirectoryWalk walk = DirectoryWalk.parentOf(path)) {
            walk.requireNoLink("chown");
            walk.setOwner(walk.name(), owner, group);
        }
    }

    /** Changes the mode of the path itself through an O_NOFOLLOW descriptor; a link there is refused. */
    public static void setMode(Path path, int mode) throws IOException {
        try (DirectoryWalk walk = DirectoryWalk.parentOf(path)) {
            walk.requireNoLink("chmod");
            walk.setMode(walk.name(), mode);
        }
    }

    /** Throws when a name does not exist on this host, so planning can refuse before anything changes. */
    public static void requireKnown(String owner, String group) throws IOException {
        UserPrincipalLookupService lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        if (owner != null && !isNumber(owner)) {
            lookup.lookupPrincipalByName(owner);
        }
        if (group != null && !isNumber(group)) {
            lookup.lookupPrincipalByGroupName(group);
        }
    }

    private static boolean matches(Path path, String wanted, String idAttr, String currentName) throws IOException {
        if (isNumber(wanted)) {
            return String.valueOf(Files.getAttribute(path, "unix:" + idAttr, LinkOption.NOFOLLOW_LINKS)).equals(wanted);
        }
        return wanted.equals(currentName);
    }

    static boolean isNumber(String s) {
        return s.chars().allMatch(Character::isDigit) && !s.isEmpty();
    }
}
