package dev.rigger.controller.state;

import java.util.Objects;

/**
 * A task's name in the state and in a run's events ({@code taskKey}): {@code playbook/play/task}, each name
 * escaped as {@link PlayKey} escapes them, so {@code a/b} in a task's name stays one name.
 */
public record TaskKey(PlayKey play, String task) {
    public TaskKey {
        Objects.requireNonNull(play, "play");
        Objects.requireNonNull(task, "task");
    }

    public static TaskKey of(String playbook, String play, String task) {
        return new TaskKey(new PlayKey(playbook, play), task);
    }

    public static TaskKey parse(String encoded) {
        int last = encoded.lastIndexOf('/');
        if (last < 0) {
            throw new IllegalArgumentException("not a task key (expected playbook/play/task): " + encoded);
        }
        return new TaskKey(PlayKey.parse(encoded.substring(0, last)), PlayKey.unescape(encoded.substring(last + 1)));
    }

    public String encoded() {
        return play.encoded() + "/" + PlayKey.escape(task);
    }

    /** The key as written before names were escaped: ambiguous when a name holds a {@code /}. */
    public String legacy() {
        return play.legacy() + "/" + task;
    }

    @Override
    public String toString() {
        return encoded();
    }
}
