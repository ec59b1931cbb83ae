package dev.rigger.lab;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes the way truncate(1) does: binary suffixes K, M, G, T (4G = 4 GiB), or plain bytes. */
final class DiskSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(i?B)?");

    private DiskSize() {
    }

    static long bytes(String size) {
        Matcher m = SIZE.matcher(size.strip().toUpperCase(Locale.ROOT).replace("IB", "iB"));
        if (!m.matches()) {
            throw new IllegalArgumentException("disk size '" + size + "': expected a number with an optional"
                    + " K, M, G or T suffix, e.g. 4G");
        }
        long value = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long bytes = value << shift;
        if (bytes < (1L << 20) || (bytes >> shift) != value) {
            throw new IllegalArgumentException("disk size '" + size + "': expected at least 1M");
        }
        return bytes;
    }
}
