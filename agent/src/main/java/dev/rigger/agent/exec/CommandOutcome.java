package dev.rigger.agent.exec;

/** How a command ended: exit code and everything it printed. */
public record CommandOutcome(int exitCode, String stdout, String stderr, long tookMs) {
    public boolean ok() {
        return exitCode == 0;
    }

    /**
     * stderr (or stdout) in one line for error messages: its first line, which is where most tools say
     * what went wrong, and its last one, where some say what to do (mkfs.xfs: "Use the -f option").
     */
    public String summary() {
        String text = stderr.isBlank() ? stdout : stderr;
        java.util.List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "";
        }
        String first = lines.get(0);
        String last = lines.get(lines.size() - 1);
        return lines.size() == 1 ? first : first + " ... " + last;
    }
}
