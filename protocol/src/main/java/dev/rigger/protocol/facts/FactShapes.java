package dev.rigger.protocol.facts;

import java.util.regex.Pattern;

/**
 * The shapes a fact's value may take, as pure predicates over text: no lookup, no I/O, nothing resolved.
 * A host's root controls what its agent reports, and facts are rendered into other hosts' files
 * ({@code /etc/hosts} lines, ECS's comma-separated seeds), so a value that only claims to be an address
 * must not carry a newline, a comma or a second name. The controller checks every fact against these
 * ({@link FactsCheck}); the agent's {@code hosts} module checks its lines with the same rules.
 *
 * <p>They live beside the fact records because both sides need the same rules and neither side's module
 * may depend on the other: this is validation of data, with no behaviour beyond it.
 */
public final class FactShapes {
    /** Longest free text accepted (a CPU model, an OS name, a disk label). */
    public static final int TEXT_MAX = 1024;
    /** Longest path accepted: Linux's PATH_MAX. */
    public static final int PATH_MAX = 4096;
    /** Longest collector error accepted. */
    public static final int MESSAGE_MAX = 8192;

    private static final Pattern MAJOR_MINOR = Pattern.compile("[0-9]{1,10}:[0-9]{1,10}");
    private static final Pattern UUID = Pattern.compile("[0-9A-Fa-f][0-9A-Fa-f-]{0,63}");

    private FactShapes() {
    }

    /**
     * A dotted-quad IPv4 literal: four decimal numbers 0-255, ASCII digits, no leading zeros (which some
     * parsers read as octal), nothing else.
     */
    public static boolean isIpv4(String s) {
        if (s == null || s.isEmpty() || s.length() > 15) {
            return false;
        }
        int parts = 0;
        int i = 0;
        while (i <= s.length()) {
            int start = i;
            int value = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == s.length()) {
                break;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
        return parts == 4;
    }

    /** An IPv6 literal as RFC 4291 writes it (hex groups, one {@code ::} at most, an IPv4 tail), without a zone. */
    public static boolean isIpv6(String s) {
        if (s == null || s.length() < 2 || s.length() > 45) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int groups = 0;
        String[][] sides = {head.isEmpty() ? new String[0] : head.split(":", -1),
                tail.isEmpty() ? new String[0] : tail.split(":", -1)};
        for (int side = 0; side < 2; side++) {
            String[] parts = sides[side];
            for (int p = 0; p < parts.length; p++) {
                String part = parts[p];
                boolean last = p == parts.length - 1 && (side == 1 || doubleColon < 0);
                if (last && part.indexOf('.') >= 0) {
                    if (!isIpv4(part)) {
                        return false;
                    }
                    groups += 2;
                } else if (part.isEmpty() || part.length() > 4 || !isHex(part)) {
                    return false;
                } else {
                    groups++;
                }
            }
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    /** An IPv4 or IPv6 literal, without a zone. */
    public static boolean isIpAddress(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    /** An IP literal, where an IPv6 one may name its zone: {@code fe80::1%eth0} (resolv.conf accepts that). */
    public static boolean isIpAddressWithZone(String s) {
        if (s == null) {
            return false;
        }
        int percent = s.indexOf('%');
        if (percent < 0) {
            return isIpAddress(s);
        }
        return isIpv6(s.substring(0, percent)) && isInterfaceName(s.substring(percent + 1));
    }

    /**
     * A host name as RFC 1123 has it: dot-separated labels of 1-63 ASCII letters, digits and hyphens, not
     * starting or ending with a hyphen, 253 characters at most. A single name ({@code node1}) or a fully
     * qualified one ({@code node1.ecs.lab}); no trailing dot; not an IPv4 address ({@code 6.6.6.6} has
     * the labels of a name, but a hosts file would read it as an address).
     */
    public static boolean isHostName(String s) {
        if (s == null || s.isEmpty() || s.length() > 253 || isIpv4(s)) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (label == 0 || s.charAt(i - 1) == '-') {
                    return false;
                }
                label = 0;
            } else if (isAsciiLetterOrDigit(c) || c == '-') {
                if ((label == 0 && c == '-') || ++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return label > 0 && s.charAt(s.length() - 1) != '-';
    }

    /** A DNS domain as resolv.conf names it: a host name, with a trailing dot allowed. */
    public static boolean isDomainName(String s) {
        return s != null && isHostName(s.endsWith(".") ? s.substring(0, s.length() - 1) : s);
    }

    /**
     * A Linux network interface name (the kernel's {@code dev_valid_name}): 1-15 characters, not
     * {@code .} or {@code ..}, no {@code /}, {@code :} or whitespace; printable ASCII only.
     */
    public static boolean isInterfaceName(String s) {
        if (s == null || s.isEmpty() || s.length() > 15 || s.equals(".") || s.equals("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~' || c == '/' || c == ':') {
                return false;
            }
        }
        return true;
    }

    /**
     * A link-layer address as {@code ip -j addr} prints it: colon-separated pairs of hex digits (6 for
     * Ethernet, 20 for InfiniBand), or an IP literal for tunnels ({@code 0.0.0.0} for ipip, {@code ::} for ip6gre).
     */
    public static boolean isLinkAddress(String s) {
        if (s == null || s.isEmpty() || s.length() > 32 * 3) {
            return false;
        }
        if (isIpAddress(s)) {
            return true;
        }
        String[] pairs = s.split(":", -1);
        for (String pair : pairs) {
            if (pair.length() != 2 || !isHex(pair)) {
                return false;
            }
        }
        return true;
    }

    /** The name of a block device under /dev ({@code xvdf}, {@code nvme0n1p1}, {@code dm-0}): one path element. */
    public static boolean isDeviceName(String s) {
        if (s == null || s.isEmpty() || s.length() > 255 || s.equals(".") || s.equals("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDeviceChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A canonical device path: {@code /dev/} followed by device names separated by single slashes
     * ({@code /dev/xvdf1}, {@code /dev/mapper/vg-lv}); no {@code .} or {@code ..} element, no trailing slash.
     */
    public static boolean isDevicePath(String s) {
        if (s == null || !s.startsWith("/dev/") || s.length() > PATH_MAX) {
            return false;
        }
        for (String element : s.substring("/dev/".length()).split("/", -1)) {
            if (!isDeviceName(element)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A mount point as the kernel lists it: absolute and canonical (no empty, {@code .} or {@code ..}
     * element, no trailing slash but for {@code /}), no control or format characters; spaces are allowed.
     */
    public static boolean isMountPoint(String s) {
        if (s == null || !s.startsWith("/") || s.length() > PATH_MAX || !isText(s, PATH_MAX)) {
            return false;
        }
        if (s.equals("/")) {
            return true;
        }
        for (String element : s.substring(1).split("/", -1)) {
            if (element.isEmpty() || element.equals(".") || element.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** {@code major:minor}, both decimal. */
    public static boolean isMajorMinor(String s) {
        return s != null && MAJOR_MINOR.matcher(s).matches();
    }

    /**
     * A word of letters, digits and {@code . _ + - ~ :} (a filesystem type, an os-release ID, a kernel
     * release, a resolver option): no whitespace, no comma, no quote, 1-{@code max} characters.
     */
    public static boolean isToken(String s, int max) {
        if (s == null || s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAsciiLetterOrDigit(c) && ".-_+~:".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A mount option: printable ASCII without whitespace or comma ({@code rw}, {@code lowerdir=/a:/b}). */
    public static boolean isMountOption(String s) {
        if (s == null || s.isEmpty() || s.length() > PATH_MAX) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~' || c == ',') {
                return false;
            }
        }
        return true;
    }

    /** Letters and digits only (a machine id, a UUID without its hyphens). */
    public static boolean isAlphanumeric(String s, int max) {
        if (s == null || s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isAsciiLetterOrDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A filesystem or partition UUID as blkid prints it: hex digits and hyphens ({@code ABCD-1234} on FAT). */
    public static boolean isUuid(String s) {
        return s != null && UUID.matcher(s).matches();
    }

    /**
     * One line of text: no control character (newline, tab, escape), no Unicode format character (the
     * direction overrides U+202A-U+202E and U+2066-U+2069, zero-width joiners), no line or paragraph
     * separator, no character outside Unicode's basic plane, none unassigned or for private use;
     * {@code max} characters at most.
     */
    public static boolean isText(String s, int max) {
        if (s == null || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTextChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #isText}, but newlines and tabs are allowed: a message that may span lines. */
    public static boolean isMessage(String s, int max) {
        if (s == null || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\n' && c != '\t' && !isTextChar(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code value} quoted for a message, so that a hostile one shows what it holds and cannot forge a line
     * of its own: control and format characters as {@code \n}, {@code \t} or {@code \}{@code uXXXX}, and
     * cut after 100 characters (saying how long it was).
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), 100) + 16).append('"');
        int shown = Math.min(value.length(), 100);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (isTextChar(c)) {
                        b.append(c);
                    } else {
                        b.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        b.append('"');
        if (value.length() > shown) {
            b.append("... (").append(value.length()).append(" characters)");
        }
        return b.toString();
    }

    private static boolean isTextChar(char c) {
        int type = Character.getType(c);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR && type != Character.SURROGATE && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE;
    }

    private static boolean isDeviceChar(char c) {
        return isAsciiLetterOrDigit(c) || "._+-:@!".indexOf(c) >= 0;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
