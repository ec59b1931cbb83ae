package dev.rigger.agent.modules.preallocate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One inode's data fork as xfs_db prints it on a v5 filesystem
 * ({@code print core.format core.nextents v3.inumber v3.crc} then {@code print u3.bmx}).
 *
 * @param format     {@code core.format}: 2 = extents in the inode, 3 = btree
 * @param crcCorrect xfs_db checked {@code v3.crc} and found it right
 * @param extents    the records of {@code u3.bmx}; empty for a btree fork, where that field does not exist
 */
record InodeFork(long inode, int format, String formatName, long nextents, boolean crcCorrect, List<Extent> extents) {
    static final int FORMAT_EXTENTS = 2;

    /** {@code 0:[startoff,startblock,blockcount,extentflag]} */
    record Extent(int index, long startoff, long startblock, long blockcount, int flag) {
        boolean unwritten() {
            return flag == 1;
        }
    }

    private static final Pattern FORMAT = Pattern.compile("core\\.format = (\\d+) \\((\\w+)\\)");
    private static final Pattern NEXTENTS = Pattern.compile("core\\.nextents = (\\d+)");
    private static final Pattern INUMBER = Pattern.compile("v3\\.inumber = (\\d+)");
    private static final Pattern CRC = Pattern.compile("v3\\.crc = 0x[0-9a-fA-F]+ \\((\\w+)\\)");
    private static final Pattern EXTENT = Pattern.compile("(\\d+):\\[(\\d+),(\\d+),(\\d+),([01])]");
    static final String MARK = "@@ ";

    boolean inInode() {
        return format == FORMAT_EXTENTS;
    }

    List<Extent> unwritten() {
        return extents.stream().filter(Extent::unwritten).toList();
    }

    /** The xfs_db commands that print what {@link #parseAll} reads, for one inode, behind a marker line. */
    static List<String> printCommands(String name, long inode) {
        return List.of("-c", "echo " + MARK + name, "-c", "inode " + inode,
                "-c", "print core.format core.nextents v3.inumber v3.crc", "-c", "print u3.bmx");
    }

    /** Sections of xfs_db output by the name after each marker; an inode whose fields did not print is absent. */
    static Map<String, InodeFork> parseAll(String stdout) {
        Map<String, InodeFork> forks = new LinkedHashMap<>();
        String name = null;
        StringBuilder section = new StringBuilder();
        for (String line : (stdout + "\n" + MARK).split("\n")) {
            if (line.startsWith(MARK)) {
                if (name != null) {
                    InodeFork f = parse(section.toString());
                    if (f != null) {
                        forks.put(name, f);
                    }
                }
                name = line.substring(MARK.length()).strip();
                section.setLength(0);
            } else {
                section.append(line).append('\n');
            }
        }
        return forks;
    }

    static InodeFork parse(String text) {
        Matcher format = FORMAT.matcher(text);
        Matcher nextents = NEXTENTS.matcher(text);
        Matcher inumber = INUMBER.matcher(text);
        Matcher crc = CRC.matcher(text);
        if (!format.find() || !nextents.find() || !inumber.find() || !crc.find()) {
            return null;
        }
        List<Extent> extents = new ArrayList<>();
        int bmx = text.indexOf("u3.bmx");
        if (bmx >= 0) {
            Matcher e = EXTENT.matcher(text.substring(bmx));
            while (e.find()) {
                extents.add(new Extent(Integer.parseInt(e.group(1)), Long.parseLong(e.group(2)),
                        Long.parseLong(e.group(3)), Long.parseLong(e.group(4)), Integer.parseInt(e.group(5))));
            }
        }
        return new InodeFork(Long.parseLong(inumber.group(1)), Integer.parseInt(format.group(1)), format.group(2),
                Long.parseLong(nextents.group(1)), crc.group(1).equals("correct"), extents);
    }

    /** {@code ls /} at the root: name to inode number. */
    static Map<String, Long> parseRootListing(String stdout) {
        Map<String, Long> inodes = new LinkedHashMap<>();
        // dir_cookie inode type hash name_length name (good|bad)
        Pattern row = Pattern.compile("\\s*\\d+\\s+(\\d+)\\s+\\S+\\s+0x[0-9a-fA-F]+\\s+\\d+\\s+(.+?)\\s+\\((?:good|bad)\\)\\s*");
        for (String line : stdout.split("\n")) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                inodes.put(m.group(2), Long.parseLong(m.group(1)));
            }
        }
        return inodes;
    }
}
