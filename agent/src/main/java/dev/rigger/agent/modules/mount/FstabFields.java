package dev.rigger.agent.modules.mount;

import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.Plan;

/**
 * The values that become fstab fields and mount's arguments. fstab(5) splits a line on blanks, ends it at a
 * newline and ignores it after {@code #}, so any of those in a value would add fields, add a whole line (a
 * mount of the attacker's choosing at the next boot) or comment the line out. Such a value is refused, named
 * and shown escaped. A backslash is refused in the fields written as given (source, type, options), since
 * libmount reads {@code \040}-style escapes in every field; the mount point is written escaped.
 */
final class FstabFields {
    private FstabFields() {
    }

    /** {@code value} when it is one fstab field; else an error naming {@code args.<name>}. */
    static String field(String name, String value) {
        return checked(name, value, true);
    }

    /** As {@link #field}, for the mount point, which the fstab line carries escaped: a backslash may stay. */
    static String mountPoint(String name, String value) {
        return checked(name, value, false);
    }

    /**
     * The value as it can be checked now: in check mode an earlier task's data may still be unknown, and its
     * placeholder is left out (the real run checks the real value).
     */
    static String known(String value) {
        return value.replace(Plan.KNOWN_AFTER_APPLY, "_");
    }

    private static String checked(String name, String value, boolean refuseBackslash) {
        if (value == null) {
            return null;
        }
        String known = known(value);
        for (int i = 0; i < known.length(); i++) {
            char c = known.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c) || c == '#'
                    || (refuseBackslash && c == '\\')) {
                throw new ArgsException("args." + name + ": expected one fstab field without whitespace, control characters, '#'"
                        + (refuseBackslash ? " or '\\'" : "") + " (each would change the fstab line's fields or lines), got \""
                        + escaped(value) + "\"");
            }
        }
        return value;
    }

    /** The value on one line: newline, tab and return as {@code \n}, {@code \t}, {@code \r}, other invisible characters as {@code \}uXXXX. */
    static String escaped(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                default -> {
                    if (Character.isISOControl(c) || (Character.isSpaceChar(c) && c != ' ')
                            || Character.getType(c) == Character.FORMAT) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
