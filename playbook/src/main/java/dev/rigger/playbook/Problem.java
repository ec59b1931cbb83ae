package dev.rigger.playbook;

/**
 * One mistake in a playbook, placed where an editor can jump to it.
 *
 * @param source  the file (as the user named it) or another name for the text
 * @param pointer JSON pointer of the element at fault ("" for the whole document)
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param message what is wrong and what was expected
 */
public record Problem(String source, String pointer, int line, int column, String message) {

    /**
     * {@code playbooks/x.json:12:9: /plays/0/tasks/3/args: missing required property 'device'}, on one line:
     * names and values from the playbook may hold newlines or terminal escapes, which would forge lines or
     * repaint the terminal, so they are shown escaped ({@link #printable}).
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(printable(source));
        if (line > 0) {
            b.append(':').append(line).append(':').append(column);
        }
        b.append(": ");
        if (!pointer.isEmpty()) {
            b.append(printable(pointer)).append(": ");
        }
        return b.append(printable(message)).toString();
    }

    /**
     * {@code text} with control characters and bidirectional overrides written as escapes (a newline as
     * backslash-n, an ESC as backslash-u001b), so that it prints as one line that reads the way it is stored.
     */
    public static String printable(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> invisible(c) ? String.format("\\u%04x", (int) c) : null;
            };
            if (escape != null && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b != null) {
                if (escape != null) {
                    b.append(escape);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }

    /** Control characters, zero-width marks, line separators, direction overrides and the byte-order mark. */
    private static boolean invisible(char c) {
        return Character.isISOControl(c) || (c >= '\u200b' && c <= '\u200f') || (c >= '\u2028' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069') || c == '\ufeff';
    }
}
