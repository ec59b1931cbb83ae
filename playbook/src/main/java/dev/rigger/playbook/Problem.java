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

    /** {@code playbooks/x.json:12:9: /plays/0/tasks/3/args: missing required property 'device'} */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(':').append(line).append(':').append(column);
        }
        b.append(": ");
        if (!pointer.isEmpty()) {
            b.append(pointer).append(": ");
        }
        return b.append(message).toString();
    }
}
