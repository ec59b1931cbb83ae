package dev.rigger.controller.cli;

import dev.rigger.controller.state.StateOwnership;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rigger}: the command line. Subcommands only parse and report; the work is in the packages below. */
@Command(name = "rigger", mixinStandardHelpOptions = true, version = "rigger 0.1.0",
        description = "Agent-based executor: prepares hosts, deploys and configures ECS clusters.",
        subcommands = {PlayCommand.class, FactsCommand.class, HostsCommand.class, RunsCommand.class, ServeCommand.class,
                LabCommand.class})
public final class RiggerCli implements Runnable {

    /** Exit codes, shared by every subcommand. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int UNREACHABLE = 3;
    public static final int INTERNAL = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new RiggerCli());
        // -e @vars.json is ours (a vars file, as in Ansible), not picocli's argument file
        cli.setExpandAtFiles(false);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // a message, never a bare stack trace; -v on a subcommand shows the trace
            cmd.getErr().println("rigger: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (System.getenv("RIGGER_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return INTERNAL;
        });
        cli.setExecutionStrategy(RiggerCli::checkStateFirst);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("rigger: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return BAD_INPUT;
        });
        return cli.execute(args);
    }

    /**
     * A command that reads a state directory runs only when the directory is this user's and no one else
     * may write it: nothing is read from it, and no host or server contacted, before that.
     */
    private static int checkStateFirst(CommandLine.ParseResult parsed) {
        List<CommandLine> commands = parsed.asCommandLineList();
        CommandLine last = commands.get(commands.size() - 1);
        if (last.getCommand() instanceof StateCommand command && !last.isUsageHelpRequested() && !last.isVersionHelpRequested()) {
            try {
                StateOwnership.check(command.stateDir());
            } catch (IOException e) {
                last.getErr().println("rigger: " + e.getMessage());
                return BAD_INPUT;
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
