package dev.rigger.playbook;

import java.util.List;
import java.util.stream.Collectors;

/** A playbook that cannot run, with every problem found in it (one per line in the message). */
public class PlaybookException extends Exception {

    private final List<Problem> problems;

    public PlaybookException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
