package dev.rigger.agent.modules.step;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
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
        String name = Files.readAttributes(path, java.nio.file.attribute.PosixFileAttributes.class,
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

    public static void setOwner(Path path, String owner, String group) throws IOException {
        if (owner != null) {
            if (isNumber(owner)) {
                Files.setAttribute(path, "unix:uid", Integer.parseInt(owner), LinkOption.NOFOLLOW_LINKS);
            } else {
                UserPrincipal u = lookup(path).lookupPrincipalByName(owner);
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(u);
            }
        }
        if (group != null) {
            if (isNumber(group)) {
                Files.setAttribute(path, "unix:gid", Integer.parseInt(group), LinkOption.NOFOLLOW_LINKS);
            } else {
                GroupPrincipal g = lookup(path).lookupPrincipalByGroupName(group);
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(g);
            }
        }
    }

    public static void setMode(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode);
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

    private static UserPrincipalLookupService lookup(Path path) {
        return path.getFileSystem().getUserPrincipalLookupService();
    }

    static boolean isNumber(String s) {
        return s.chars().allMatch(Character::isDigit) && !s.isEmpty();
    }
}
