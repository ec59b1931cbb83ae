package dev.rigger.controller.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent runs as root from files under the remote root, so every directory on the way to them and the files
 * themselves must be root's alone: owned by root, writable by no group and no other user, and no symbolic link
 * (whoever can replace a link or write a directory chooses what root runs). An ancestor above the remote root
 * may be world-writable only with the sticky bit (as {@code /tmp}): there nobody but root can rename or remove
 * root's entry.
 */
final class RootOnlyPaths {

    private static final int GROUP_WRITE = 0020;
    private static final int OTHER_WRITE = 0002;
    private static final int STICKY = 01000;

    private RootOnlyPaths() {
    }

    /** {@code /}, {@code /var}, {@code /var/lib} for {@code /var/lib/rigger}. */
    static List<String> ancestors(String remoteRoot) {
        List<String> ancestors = new ArrayList<>();
        ancestors.add("/");
        for (int slash = remoteRoot.indexOf('/', 1); slash > 0; slash = remoteRoot.indexOf('/', slash + 1)) {
            ancestors.add(remoteRoot.substring(0, slash));
        }
        return ancestors;
    }

    /**
     * Why the host cannot be trusted to run the agent from these paths, or null when it can. Paths missing on the
     * host are fine: the bootstrap makes them as root.
     *
     * @param stats     what the probe found, by path
     * @param ancestors the directories above the remote root
     * @param own       the remote root and what the agent runs from below it, directories before files
     */
    static String refusal(String where, Map<String, PathStat> stats, List<String> ancestors, List<String> own) {
        for (String path : ancestors) {
            PathStat stat = stats.get(path);
            if (stat != null) {
                String why = problem(stat, true);
                if (why != null) {
                    return where + ": " + why;
                }
            }
        }
        for (String path : own) {
            PathStat stat = stats.get(path);
            if (stat != null) {
                String why = problem(stat, false);
                if (why != null) {
                    return where + ": " + why;
                }
            }
        }
        return null;
    }

    private static String problem(PathStat stat, boolean ancestor) {
        String path = stat.path();
        String rule = "; rigger runs its agent as root only from " + (stat.isRegularFile() ? "a file" : "a directory")
                + " only root can write: ";
        if (stat.isLink()) {
            return path + " is a symbolic link" + rule + "make it a real " + (ancestor ? "directory" : "path")
                    + " owned by root";
        }
        if (stat.uid() != 0) {
            return path + " is owned by uid " + stat.uid() + rule + "chown root:root " + path;
        }
        int permissions = stat.permissions();
        boolean writable = (permissions & (GROUP_WRITE | OTHER_WRITE)) != 0;
        boolean sticky = (permissions & STICKY) != 0;
        if (writable && !(ancestor && sticky)) {
            String by = (permissions & GROUP_WRITE) != 0 && (permissions & OTHER_WRITE) != 0 ? "group- and world-writable"
                    : (permissions & GROUP_WRITE) != 0 ? "group-writable" : "world-writable";
            String fixed = String.format("%04o", permissions & ~(GROUP_WRITE | OTHER_WRITE));
            return path + " is mode " + stat.octal() + " (" + by + ")" + rule + "chmod " + fixed + " " + path;
        }
        return null;
    }
}
