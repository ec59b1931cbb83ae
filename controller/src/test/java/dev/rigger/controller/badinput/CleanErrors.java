package dev.rigger.controller.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.e2e.CliRun;
import java.util.regex.Pattern;

/**
 * What every refusal must look like to a user: no stack trace, no exception class names, no raw control
 * characters (a newline or an escape sequence in a name must not forge a line or repaint the terminal), and
 * every line starts with the file it is about or with "rigger:".
 */
final class CleanErrors {
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(");
    private static final Pattern EXCEPTION_CLASS = Pattern.compile("\\b(java|javax|com\\.fasterxml|io\\.pebbletemplates|"
            + "com\\.networknt|picocli|dev\\.rigger)\\.[\\w.$]*(Exception|Error)\\b");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n]]|[\\u200b-\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff]");

    /** Asserts the output names no stack trace and holds no control character but line ends. */
    static void assertNoStackTrace(CliRun run, String what) {
        String all = run.out() + run.err();
        assertThat(STACK_FRAME.matcher(all).find()).as("%s: a stack frame in the output:%n%s", what, all).isFalse();
        assertThat(EXCEPTION_CLASS.matcher(all).find()).as("%s: an exception class in the output:%n%s", what, all).isFalse();
        assertThat(CONTROL.matcher(run.err()).find()).as("%s: a raw control character in:%n%s", what, run.err()).isFalse();
    }

    /** Asserts that every line of stderr starts with one of {@code prefixes}. */
    static void assertEveryLineStartsWith(CliRun run, String what, String... prefixes) {
        for (String line : run.err().split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            boolean ok = false;
            for (String p : prefixes) {
                ok |= line.startsWith(p);
            }
            assertThat(ok).as("%s: a line that does not start with %s:%n%s%n--- all of it:%n%s", what,
                    String.join(" or ", prefixes), line, run.err()).isTrue();
        }
    }

    /**
     * How a problem message shows text that came from the playbook: control characters and direction
     * overrides as escapes (a newline as backslash-n, an ESC as backslash-u001b), so the expected pointer of
     * a case with a newline in a name reads as it is printed.
     */
    static String shown(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e)
                            || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    private CleanErrors() {
    }
}
