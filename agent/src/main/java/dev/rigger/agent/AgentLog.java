package dev.rigger.agent;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The agent's log: one line per event on stderr, which the controller shows with -v. stdout stays
 * for command output that people asked for (facts, run). Never give it a secret.
 */
public final class AgentLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private AgentLog() {
    }

    public static void info(String msg) {
        write("INFO", msg);
    }

    public static void warn(String msg) {
        write("WARN", msg);
    }

    public static void error(String msg) {
        write("ERROR", msg);
    }

    private static synchronized void write(String level, String msg) {
        System.err.println("rigger-agent " + LocalTime.now().format(TIME) + " " + level + " " + msg);
        System.err.flush();
    }
}
