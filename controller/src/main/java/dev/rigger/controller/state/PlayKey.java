package dev.rigger.controller.state;

import java.util.Objects;

/**
 * A play's name in the state and in a run's events: {@code playbook/play}, each name escaped as a JSON
 * Pointer escapes a token ({@code ~} as {@code ~0}, {@code /} as {@code ~1}), so a {@code /} inside a name
 * cannot move the split. A name with neither character is written as it is, as rigger wrote every key
 * before it escaped them; {@link #legacy()} is that older form.
 */
public record PlayKey(String playbook, String play) {
    public PlayKey {
        Objects.requireNonNull(playbook, "playbook");
        Objects.requireNonNull(play, "play");
    }

    public static PlayKey parse(String encoded) {
        String[] parts = encoded.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a play key (expected playbook/play): " + encoded);
        }
        return new PlayKey(unescape(parts[0]), unescape(parts[1]));
    }

    public TaskKey task(String task) {
        return new TaskKey(this, task);
    }

    public String encoded() {
        return escape(playbook) + "/" + escape(play);
    }

    /** The key as written before names were escaped: ambiguous when a name holds a {@code /}. */
    public String legacy() {
        return playbook + "/" + play;
    }

    @Override
    public String toString() {
        return encoded();
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    static String unescape(String token) {
        StringBuilder name = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c != '~') {
                name.append(c);
                continue;
            }
            char next = i + 1 < token.length() ? token.charAt(i + 1) : ' ';
            if (next != '0' && next != '1') {
                throw new IllegalArgumentException("'~' must be followed by 0 or 1 in a key: " + token);
            }
            name.append(next == '0' ? '~' : '/');
            i++;
        }
        return name.toString();
    }
}
