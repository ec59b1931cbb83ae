package dev.rigger.agent.modules.preallocate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file's extent map as {@code xfs_io -c 'fiemap -v'} prints it, reduced to what a bin needs: how many
 * bytes have blocks and how many extents are still unwritten (FIEMAP_EXTENT_UNWRITTEN, flag 0x800).
 *
 * @param allocatedBytes bytes covered by extents (holes excluded)
 * @param extents        extents seen (holes excluded)
 * @param unwritten      extents whose flags carry 0x800
 */
record Fiemap(long allocatedBytes, int extents, int unwritten) {
    static final int FLAG_UNWRITTEN = 0x800;

    /** {@code   0: [0..524287]:     192..524479      524288 0x801} or {@code   1: [8..15]:  hole  8}. */
    private static final Pattern LINE = Pattern.compile(
            "\\s*\\d+:\\s+\\[(\\d+)\\.\\.(\\d+)]:\\s+(hole|\\d+\\.\\.\\d+)\\s+(\\d+)(?:\\s+(0x[0-9a-fA-F]+))?\\s*");

    static Fiemap parse(String xfsIoOutput) {
        long sectors = 0;
        int extents = 0;
        int unwritten = 0;
        for (String line : xfsIoOutput.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches() || m.group(3).equals("hole")) {
                continue;
            }
            extents++;
            // fiemap -v counts in 512-byte units whatever the filesystem's block size
            sectors += Long.parseLong(m.group(4));
            if (m.group(5) != null && (Integer.parseInt(m.group(5).substring(2), 16) & FLAG_UNWRITTEN) != 0) {
                unwritten++;
            }
        }
        return new Fiemap(sectors * 512, extents, unwritten);
    }
}
