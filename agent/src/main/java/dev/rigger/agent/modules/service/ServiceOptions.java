package dev.rigger.agent.modules.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleArgs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code service} module's arguments, checked.
 *
 * @param enabled null when the task does not care whether the service starts at boot
 * @param daemon  argv that runs the daemon in the foreground, for hosts without an init system; may be null
 */
record ServiceOptions(String name, String state, Boolean enabled, List<String> daemon, Path logFile, Path pidFile,
        List<String> readyCommand, Duration readyTimeout) {
    static final int DEFAULT_READY_TIMEOUT_SEC = 30;

    static ServiceOptions parse(ModuleArgs args) {
        String name = args.requiredString("name");
        if (!name.matches("[A-Za-z0-9@._:-]+")) {
            throw new ArgsException("args.name: \"" + name + "\" is not a service name");
        }
        String state = args.choice("state", "started", "started", "stopped", "restarted");
        Boolean enabled = args.has("enabled") ? args.bool("enabled", false) : null;
        List<String> daemon = args.stringList("daemon", false);
        if (daemon != null && (daemon.isEmpty() || daemon.get(0).isBlank())) {
            throw new ArgsException("args.daemon: must name a program, e.g. [\"dockerd\"]");
        }
        List<String> ready = args.stringList("readyCommand", false);
        if (ready != null && ready.isEmpty()) {
            throw new ArgsException("args.readyCommand: must not be empty");
        }
        return new ServiceOptions(name, state, enabled, daemon, path(args, "logFile"), path(args, "pidFile"),
                ready, Duration.ofSeconds(readyTimeoutSec(args)));
    }

    String program() {
        return DaemonProcesses.fileName(daemon.get(0));
    }

    private static Path path(ModuleArgs args, String name) {
        String v = args.string(name, null);
        if (v == null) {
            return null;
        }
        if (!v.startsWith("/")) {
            throw new ArgsException(args.where(name) + ": expected an absolute path, got \"" + v + "\"");
        }
        return Path.of(v);
    }

    private static int readyTimeoutSec(ModuleArgs args) {
        JsonNode v = args.raw("readyTimeoutSec");
        if (v == null || v.isNull()) {
            return DEFAULT_READY_TIMEOUT_SEC;
        }
        if (!v.isIntegralNumber() || v.asInt() < 1) {
            throw new ArgsException("args.readyTimeoutSec: expected a positive number of seconds, got " + v);
        }
        return v.asInt();
    }
}
