package dev.rigger.agent.exec;

import java.util.List;
import java.util.Map;

/**
 * A command to run: argv (never a shell string, unless argv itself is {@code sh -c ...}), extra
 * environment, working directory and text for stdin, all optional but argv.
 */
public record CommandSpec(List<String> argv, Map<String, String> env, String chdir, String stdin) {
    public CommandSpec {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least one argv element");
        }
        argv = List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static CommandSpec of(String... argv) {
        return new CommandSpec(List.of(argv), Map.of(), null, null);
    }

    public static CommandSpec of(List<String> argv) {
        return new CommandSpec(argv, Map.of(), null, null);
    }
}
