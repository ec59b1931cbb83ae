package dev.rigger.agent.modules.packages;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code apt-get install|remove} for some packages. A failure names the packages apt could not
 * find (or all of them) and quotes apt's own "E:" lines. When apt could not find a package and the
 * lists are stale, it refreshes them once and tries again, since a list fetched before the mirror gained
 * the package is the usual cause on long-lived hosts.
 */
final class AptGetStep implements Step {
    static final Map<String, String> APT_ENV = Map.of("DEBIAN_FRONTEND", "noninteractive");
    private static final Pattern NOT_FOUND = Pattern.compile("Unable to locate package (\\S+)");
    private static final List<String> UPDATE = List.of("apt-get", "update");

    private final List<String> argv;
    private final List<String> packages;
    private final boolean refreshWhenStale;
    private final AptLists lists;

    AptGetStep(List<String> argv, List<String> packages, boolean refreshWhenStale, AptLists lists) {
        this.argv = List.copyOf(argv);
        this.packages = List.copyOf(packages);
        this.refreshWhenStale = refreshWhenStale;
        this.lists = lists;
    }

    static AptGetStep update() {
        return new AptGetStep(UPDATE, List.of(), false, null);
    }

    @Override
    public String description() {
        return String.join(" ", argv);
    }

    @Override
    public List<String> argv() {
        return argv;
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        CommandOutcome out = run(argv, ctx);
        if (!out.ok() && refreshWhenStale && !notFound(out).isEmpty() && lists.stale()) {
            CommandOutcome update = run(UPDATE, ctx);
            if (update.ok()) {
                out = run(argv, ctx);
            }
        }
        StepResult result = new StepResult(description(), argv, out.exitCode(), out.stdout(), out.stderr(), out.tookMs());
        if (!out.ok()) {
            throw new StepFailedException(failure(out), result);
        }
        return result;
    }

    private static CommandOutcome run(List<String> command, StepContext ctx) {
        return CommandRunner.run(new CommandSpec(command, APT_ENV, null, null), ctx.output(), ctx.deadline());
    }

    /** {@code package rigger-no-such-package: apt-get install ... exited with 100: E: Unable to locate package ...} */
    String failure(CommandOutcome out) {
        List<String> missing = notFound(out);
        List<String> named = missing.isEmpty() ? packages : missing;
        String errors = String.join("; ", out.stderr().lines().map(String::strip).filter(l -> l.startsWith("E:")).toList());
        String said = errors.isEmpty() ? out.summary() : errors;
        String who = named.isEmpty() ? "" : (named.size() == 1 ? "package " : "packages ") + String.join(", ", named) + ": ";
        return who + description() + " exited with " + out.exitCode() + ": " + said;
    }

    private static List<String> notFound(CommandOutcome out) {
        List<String> names = new ArrayList<>();
        Matcher m = NOT_FOUND.matcher(out.stderr());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
