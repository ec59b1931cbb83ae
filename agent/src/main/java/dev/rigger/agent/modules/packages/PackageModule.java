package dev.rigger.agent.modules.packages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.step.ExecStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code package}: Debian/Ubuntu packages installed or removed, through dpkg-query and apt-get.
 *
 * <p>Arguments: {@code name} ("xfsprogs" or a list), {@code state?: present|absent}, {@code updateCache?: false}.
 * Data: {@code {names, state, changed: [packages installed or removed]}}.
 * <pre>{@code {"module": "package", "args": {"name": ["xfsprogs", "gdisk"]}}}</pre>
 */
public final class PackageModule implements AgentModule {
    private static final Map<String, String> APT_ENV = Map.of("DEBIAN_FRONTEND", "noninteractive");

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
        List<Step> steps = new ArrayList<>();
        if (updateCache && state.equals("present")) {
            steps.add(apt(List.of("apt-get", "update")));
        }
        List<String> argv = new ArrayList<>(state.equals("present")
                ? List.of("apt-get", "install", "-y", "--no-install-recommends")
                : List.of("apt-get", "remove", "-y"));
        argv.addAll(todo);
        steps.add(apt(argv));
        return Plan.change((state.equals("present") ? "install " : "remove ") + String.join(", ", todo), steps, data);
    }

    private static Step apt(List<String> argv) {
        return new ExecStep(String.join(" ", argv), new CommandSpec(argv, APT_ENV, null, null));
    }

    private static boolean installed(ModuleContext ctx, String name) {
        String pkg = name.replaceFirst("[=].*$", "");
        CommandOutcome out = ctx.probe("dpkg-query", "-W", "-f=${Status}", pkg);
        return out.ok() && out.stdout().strip().endsWith(" installed") && out.stdout().contains("install ok");
    }
}
