package dev.rigger.ecssim.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads /proc/self/mountinfo. Inside the ECS container the host's /ecs is bind-mounted (recursively) at
 * /dae and /disks, so each /ecs/uuid-X XFS mount shows up there as its own mountinfo line.
 */
public final class MountTable {
    private final List<MountEntry> entries;

    public MountTable(List<MountEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static MountTable read(Path mountinfo) throws IOException {
        return parse(Files.readAllLines(mountinfo));
    }

    /** Format: {@code id parent major:minor root mountpoint options [optional...] - fstype source superopts}. */
    public static MountTable parse(List<String> lines) {
        List<MountEntry> entries = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.trim().split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 5 || separator < 0 || separator + 2 >= fields.length) {
                continue;
            }
            entries.add(new MountEntry(Path.of(unescape(fields[4])), fields[separator + 1],
                    unescape(fields[separator + 2])));
        }
        return new MountTable(entries);
    }

    /** Filesystems of the given type mounted directly below {@code dir} (e.g. /dae/uuid-1 for /dae). */
    public List<MountEntry> mountedDirectlyBelow(Path dir, String fsType) {
        Path parent = dir.toAbsolutePath().normalize();
        return entries.stream()
                .filter(e -> e.fsType().equals(fsType))
                .filter(e -> parent.equals(e.mountPoint().getParent()))
                .toList();
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
