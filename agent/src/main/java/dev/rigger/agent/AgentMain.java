package dev.rigger.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.facts.FactsCollector;
import dev.rigger.agent.modules.ModuleRunner;
import dev.rigger.agent.modules.TaskOptions;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar rigger-agent.jar <command>}:
 * <ul>
 *   <li>{@code connect --host-name NAME --port P [--bridge-host 127.0.0.1]}: the one-time token is the first
 *       line of stdin; serves tasks over the bridge until stdin ends or the bridge closes.</li>
 *   <li>{@code facts}: prints the host's facts as JSON.</li>
 *   <li>{@code run MODULE ARGS_JSON [--check] [--diff]}: runs one module here and prints its result as JSON.</li>
 * </ul>
 * Exit codes: {@value #EXIT_OK} done (connect: stdin ended); {@value #EXIT_FAILED} {@code run}'s module
 * failed, or an unexpected error; {@value #EXIT_USAGE} bad arguments or no token; {@value #EXIT_REFUSED}
 * the controller refused the hello (wrong token, unknown host, protocol version); {@value #EXIT_BRIDGE} the
 * bridge cannot be reached, did not answer, or closed the connection.
 */
public final class AgentMain {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_REFUSED = 3;
    public static final int EXIT_BRIDGE = 4;

    static final String USAGE = "usage: rigger-agent connect --host-name NAME --port P [--bridge-host 127.0.0.1]\n"
            + "       rigger-agent facts\n"
            + "       rigger-agent run MODULE ARGS_JSON [--check] [--diff]";

    private AgentMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            AgentLog.error("agent failed: " + e);
            code = EXIT_FAILED;
        }
        System.exit(code);
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 0) {
            return usage("no command given");
        }
        return switch (args[0]) {
            case "connect" -> connect(args);
            case "facts" -> {
                out.println(ProtocolJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(FactsCollector.collect()));
                yield EXIT_OK;
            }
            case "run" -> runModule(args, out);
            default -> usage("unknown command " + args[0]);
        };
    }

    private static int connect(String[] args) throws Exception {
        String host = null;
        String bridgeHost = "127.0.0.1";
        Integer port = null;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--host-name" -> host = value;
                case "--port" -> port = parsePort(value);
                case "--bridge-host" -> bridgeHost = value;
                default -> {
                    return usage("unknown option " + args[i]);
                }
            }
            i++;
        }
        if (host == null || port == null || bridgeHost == null) {
            return usage("connect needs --host-name and a --port between 1 and 65535");
        }
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return new AgentRuntime(host, bridgeHost, port).run(stdin);
    }

    private static int runModule(String[] args, PrintStream out) throws JsonProcessingException {
        List<String> positional = new ArrayList<>();
        boolean check = false;
        boolean diff = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--check" -> check = true;
                case "--diff" -> diff = true;
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() != 2) {
            return usage("run needs MODULE and ARGS_JSON");
        }
        JsonNode moduleArgs;
        try {
            moduleArgs = ProtocolJson.MAPPER.readTree(positional.get(1));
        } catch (JsonProcessingException e) {
            return usage("ARGS_JSON is not JSON: " + e.getOriginalMessage());
        }
        if (!(moduleArgs instanceof ObjectNode object)) {
            return usage("ARGS_JSON must be a JSON object, e.g. '{\"device\":\"/dev/xvdf\"}'");
        }
        // command output goes to stderr as it happens; stdout carries only the result
        TaskOptions options = new TaskOptions(check, diff, (stream, line) -> System.err.println(line), 0);
        ModuleResult result = new ModuleRunner().run(positional.get(0), object, options);
        out.println(ProtocolJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        return result.failed() ? EXIT_FAILED : EXIT_OK;
    }

    private static Integer parsePort(String value) {
        try {
            int p = Integer.parseInt(value);
            return p > 0 && p < 65536 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int usage(String problem) {
        System.err.println("rigger-agent: " + problem);
        System.err.println(USAGE);
        return EXIT_USAGE;
    }
}
