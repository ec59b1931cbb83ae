package dev.rigger.controller.cli;

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
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("rigger: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return BAD_INPUT;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
