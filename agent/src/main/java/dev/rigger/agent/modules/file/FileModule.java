package dev.rigger.agent.modules.file;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.step.ChmodStep;
import dev.rigger.agent.modules.step.ChownStep;
import dev.rigger.agent.modules.step.DeleteStep;
import dev.rigger.agent.modules.step.LinkTargets;
import dev.rigger.agent.modules.step.MakeDirStep;
import dev.rigger.agent.modules.step.Owners;
import dev.rigger.agent.modules.step.SymlinkStep;
import dev.rigger.agent.modules.step.TouchStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code file}: a directory, file, symlink or nothing at a path, with owner, group and mode.
 *
 * <p>Arguments: {@code path}, {@code state?: directory|file|touch|link|absent} (file), {@code owner?},
 * {@code group?} (number or name), {@code mode?} ("0755" or 493), {@code src?} (link target),
 * {@code recurse?: false} (owner/group/mode of everything below a directory; links below are left alone),
 * {@code follow?: false} (true: a symlink at {@code path} is followed and its target managed; false: a symlink
 * there is refused, except by {@code link} and {@code absent}, which act on the link itself). {@code touch} only creates
 * and never changes times, so it is idempotent; {@code file} wants the file to exist already.
 * Data: {@code {path, state, owner, group, mode}}.
 * <pre>{@code {"module": "file", "args": {"path": "/ecs", "state": "directory", "owner": 444, "group": 444, "mode": "0755"}}}</pre>
 */
public final class FileModule implements AgentModule {
    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        ModuleArgs args = new ModuleArgs(rawArgs);
        Path path = Path.of(args.requiredString("path"));
        String state = args.choice("state", "file", "directory", "file", "touch", "link", "absent");
        String owner = args.principal("owner");
        String group = args.principal("group");
        Integer mode = args.mode("mode");
        boolean recurse = args.bool("recurse", false);
        boolean follow = args.bool("follow", false);
        try {
            Owners.requireKnown(owner, group);
        } catch (IOException e) {
            throw new ModuleException("owner/group of " + path + ": no such user or group (" + e.getMessage() + ")");
        }
        try {
            // absent removes a link itself and link manages links: only the other states act on a link's target
            Path target = state.equals("absent") || state.equals("link") ? path
                    : LinkTargets.destination(path, follow, "manage it as a " + (state.equals("touch") ? "file" : state));
            return planState(target, state, args, owner, group, mode, recurse);
        } catch (IOException | UncheckedIOException e) {
            throw new ModuleException("cannot inspect " + path + ": " + e.getMessage());
        }
    }

    private Plan planState(Path path, String state, ModuleArgs args, String owner, String group, Integer mode,
                           boolean recurse) throws IOException {
        boolean exists = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        List<Step> steps = new ArrayList<>();
        String action;
        switch (state) {
            case "absent" -> {
                if (exists) {
                    steps.add(new DeleteStep(path));
                }
                return plan(steps, "remove " + path, path + " is absent", path, state, null, null, null);
            }
            case "link" -> {
                Path src = Path.of(args.requiredString("src"));
                if (exists && !Files.isSymbolicLink(path)) {
                    throw new ModuleException(path + " exists and is not a symlink; refusing to replace it with a link to " + src);
                }
                if (!exists || !Files.readSymbolicLink(path).equals(src)) {
                    steps.add(new SymlinkStep(path, src));
                }
                return plan(steps, "link " + path + " -> " + src, path + " links to " + src, path, state, null, null, null);
            }
            case "directory" -> {
                if (exists && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ModuleException(path + " exists and is not a directory");
                }
                if (!exists) {
                    steps.add(new MakeDirStep(path));
                }
                action = "directory " + path;
            }
            case "touch" -> {
                if (exists && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ModuleException(path + " is a directory; touch wants a file");
                }
                if (!exists) {
                    steps.add(new TouchStep(path));
                }
                action = "file " + path;
            }
            default -> {
                if (!exists) {
                    throw new ModuleException(path + " does not exist (state file only manages an existing file; use touch or copy to create one)");
                }
                action = "file " + path;
            }
        }
        boolean walk = recurse && state.equals("directory");
        if ((owner != null || group != null) && (!exists || !ownersMatch(path, owner, group, walk))) {
            steps.add(new ChownStep(path, owner, group, walk));
        }
        if (mode != null && (!exists || !modesMatch(path, mode, walk))) {
            steps.add(new ChmodStep(path, mode, walk));
        }
        return plan(steps, "make " + action + attrs(owner, group, mode), action + " is as wanted" + attrs(owner, group, mode),
                path, state, owner != null ? owner : exists ? Owners.ownerOf(path) : null,
                group != null ? group : exists ? Owners.groupOf(path) : null,
                mode != null ? String.format("%04o", mode) : exists ? String.format("%04o", Owners.mode(path)) : null);
    }

    private static Plan plan(List<Step> steps, String action, String noop, Path path, String state,
                             String owner, String group, String mode) {
        var data = ModuleData.of("path", path.toString(), "state", state, "owner", owner, "group", group, "mode", mode);
        return steps.isEmpty() ? Plan.noop(noop, data) : Plan.change(action, steps, data);
    }

    private static boolean ownersMatch(Path path, String owner, String group, boolean walk) throws IOException {
        try (Stream<Path> all = walk ? Files.walk(path) : Stream.of(path)) {
            return all.allMatch(p -> {
                try {
                    return Owners.ownerMatches(p, owner) && Owners.groupMatches(p, group);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static boolean modesMatch(Path path, int mode, boolean walk) throws IOException {
        try (Stream<Path> all = walk ? Files.walk(path) : Stream.of(path)) {
            return all.filter(p -> !Files.isSymbolicLink(p)).allMatch(p -> {
                try {
                    return Owners.mode(p) == mode;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static String attrs(String owner, String group, Integer mode) {
        StringBuilder b = new StringBuilder();
        if (owner != null || group != null) {
            b.append(" owned by ").append(owner == null ? "" : owner).append(group == null ? "" : ":" + group);
        }
        if (mode != null) {
            b.append(" mode ").append(String.format("%04o", mode));
        }
        return b.toString();
    }
}
