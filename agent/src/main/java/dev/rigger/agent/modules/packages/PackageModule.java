package dev.rigger.agent.modules.packages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code package}: Debian/Ubuntu packages installed or removed, through dpkg-query and apt-get.
 *
 * <p>Arguments: {@code name} ("xfsprogs" or a list), {@code state?: present|absent}, {@code updateCache?: false}.
 * Data: {@code {names, state, changed: [packages installed or removed]}}; in check mode {@code changed} lists
 * the packages that would be installed or removed, and so does the message.
 *
 * <p>{@code updateCache} runs {@code apt-get update} before installing, and only when something is to be
 * installed, so that a converged host stays unchanged. Without it, {@code apt-get update} still runs first
 * when the host has no package lists at all (fresh cloud and container images), and once after an install
 * that failed with "Unable to locate package" when the lists are older than a day. A package apt cannot
 * find fails the task naming it and quoting apt. apt-get waits up to two minutes for the dpkg lock, which
 * unattended upgrades hold for a while after a cloud instance boots.
 * <pre>{@code {"module": "package", "args": {"name": ["xfsprogs", "gdisk"]}}}</pre>
 */
public final class PackageModule implements AgentModule {
    static final String LOCK_WAIT = "DPkg::Lock::Timeout=120";

    private final AptLists lists;

    public PackageModule() {
        this(AptLists.system());
    }

    PackageModule(AptLists lists) {
        this.lists = lists;
    }

    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        ModuleArgs args = new ModuleArgs(rawArgs);
        List<String> names = args.stringList("name", true);
        if (names == null || names.isEmpty()) {
            throw new ArgsException("args.name: required");
        }
        for (String n : names) {
            if (!n.matches("[a-z0-9][a-z0-9+.:=~-]*")) {
                throw new ArgsException("args.name: \"" + n + "\" is not a Debian package name");
            }
        }
        String state = args.choice("state", "present", "present", "absent");
        boolean updateCache = args.bool("updateCache", false);
        List<String> todo = new ArrayList<>();
        for (String n : names) {
            if (installed(ctx, n) != state.equals("present")) {
                todo.add(n);
            }
        }
        var data = ModuleData.of("names", names, "state", state, "changed", todo);
        if (todo.isEmpty()) {
            return Plan.noop(String.join(", ", names) + (state.equals("present") ? " installed" : " not installed"), data);
        }
        boolean install = state.equals("present");
        boolean listsMissing = install && !updateCache && lists.empty();
        List<Step> steps = new ArrayList<>();
        if (install && (updateCache || listsMissing)) {
            steps.add(AptGetStep.update());
        }
        List<String> argv = new ArrayList<>(install
                ? List.of("apt-get", "install", "-y", "--no-install-recommends", "-o", LOCK_WAIT)
                : List.of("apt-get", "remove", "-y", "-o", LOCK_WAIT));
        argv.addAll(todo);
        steps.add(new AptGetStep(argv, todo, install && !updateCache && !listsMissing, lists));
        // the message stays "install X" with or without the update: the steps show the apt-get update
        return Plan.change((install ? "install " : "remove ") + String.join(", ", todo), steps, data);
    }

    private static boolean installed(ModuleContext ctx, String name) {
        String pkg = name.replaceFirst("[=].*$", "");
        CommandOutcome out = ctx.probe("dpkg-query", "-W", "-f=${Status}", pkg);
        return out.ok() && out.stdout().strip().endsWith(" installed") && out.stdout().contains("install ok");
    }
}
