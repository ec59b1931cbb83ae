package dev.rigger.agent.facts;

import dev.rigger.protocol.facts.MountFact;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Mounts as this process sees them (its own mount namespace): /proc/self/mounts and /proc/self/mountinfo. */
public final class MountFacts {
    private MountFacts() {
    }

    public static List<MountFact> collect() {
        return parse(SysFiles.readOrEmpty(Path.of("/proc/self/mounts")));
    }

    public static List<MountInfoEntry> collectInfo() {
        return parseMountInfo(SysFiles.readOrEmpty(Path.of("/proc/self/mountinfo")));
    }

    /** Lines of /proc/self/mounts: {@code device mountpoint fstype options dump pass}, octal escapes decoded. */
    public static List<MountFact> parse(String text) {
        List<MountFact> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            mounts.add(new MountFact(unescape(f[0]), unescape(f[1]), f[2], Arrays.asList(f[3].split(","))));
        }
        return mounts;
    }

    /**
     * Lines of /proc/self/mountinfo:
     * {@code id parent maj:min root mountpoint options [optional fields...] - fstype source superoptions}.
     */
    public static List<MountInfoEntry> parseMountInfo(String text) {
        List<MountInfoEntry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            int dash = Arrays.asList(f).indexOf("-");
            if (f.length < 7 || dash < 6 || dash + 2 >= f.length) {
                continue;
            }
            entries.add(new MountInfoEntry(f[2], unescape(f[4]), f[dash + 1], unescape(f[dash + 2]), f[5]));
        }
        return entries;
    }

    /** The kernel writes space, tab, newline and backslash in paths as 3-digit octal escapes. */
    public static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The inverse of {@link #unescape}, for writing fstab fields. */
    public static String escape(String s) {
        return s.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
    }
}
