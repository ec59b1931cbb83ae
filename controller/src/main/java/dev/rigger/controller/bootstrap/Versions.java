package dev.rigger.controller.bootstrap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Version strings as hosts print them: glibc "2.36", java "17.0.15" or "1.8.0_292". */
final class Versions {

    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final Pattern QUOTED_JAVA = Pattern.compile("\"(\\d+)(?:\\.(\\d+))?[^\"]*\"");

    private Versions() {
    }

    /** The last {@code major.minor} in a line such as "ldd (Debian GLIBC 2.36-9+deb12u10) 2.36" or "glibc 2.36". */
    static String glibc(String line) {
        Matcher matcher = MAJOR_MINOR.matcher(line == null ? "" : line);
        String found = null;
        while (matcher.find()) {
            found = matcher.group();
        }
        return found;
    }

    /** Orders "2.36" against "2.31"; a missing version counts as older than any. */
    static int compare(String left, String right) {
        if (left == null || right == null) {
            return left == null ? (right == null ? 0 : -1) : 1;
        }
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? Integer.parseInt(a[i]) : 0;
            int y = i < b.length ? Integer.parseInt(b[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    /** Major version from the first line of {@code java -version}; 0 when unreadable. */
    static int javaMajor(String versionLine) {
        Matcher matcher = QUOTED_JAVA.matcher(versionLine == null ? "" : versionLine);
        if (!matcher.find()) {
            return 0;
        }
        int first = Integer.parseInt(matcher.group(1));
        if (first == 1 && matcher.group(2) != null) {
            return Integer.parseInt(matcher.group(2));
        }
        return first;
    }
}
