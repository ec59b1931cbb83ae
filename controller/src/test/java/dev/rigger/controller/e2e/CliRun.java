package dev.rigger.controller.e2e;

import dev.rigger.controller.cli.RiggerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the real CLI in this JVM and keeps what it printed. */
public record CliRun(int exitCode, String out, String err) {

    /** Runs it and echoes what it printed to the test's own output, for the reports. */
    public static CliRun of(String... args) {
        return run(true, args);
    }

    /** Runs it without the echo: a corpus of hundreds of bad inputs would fill the reports with their errors. */
    public static CliRun quiet(String... args) {
        return run(false, args);
    }

    private static synchronized CliRun run(boolean echo, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = RiggerCli.execute(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            if (echo) {
                oldOut.print(out.toString(StandardCharsets.UTF_8));
                oldErr.print(err.toString(StandardCharsets.UTF_8));
            }
        }
    }
}
