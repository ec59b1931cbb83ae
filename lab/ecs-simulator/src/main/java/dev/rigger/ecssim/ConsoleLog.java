package dev.rigger.ecssim;

import java.io.PrintStream;
import java.time.Instant;

/**
 * Stdout lines in the style of the ECS container's boot log: boot lines are printed as they are
 * (the ECS boot script echoes plain lines such as {@code boot operation begin}), request lines carry
 * a timestamp. Callers never pass passwords, tokens or secret keys.
 */
public final class ConsoleLog {
    private static final PrintStream OUT = System.out;

    private ConsoleLog() {
    }

    public static synchronized void boot(String line) {
        OUT.println(line);
        OUT.flush();
    }

    public static synchronized void request(String method, String path, int status) {
        OUT.println(Instant.now() + " INFO  request " + method + " " + path + " " + status);
        OUT.flush();
    }
}
