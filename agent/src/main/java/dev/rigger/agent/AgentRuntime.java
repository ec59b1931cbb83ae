package dev.rigger.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.agent.facts.FactsCollector;
import dev.rigger.agent.facts.FactsOptions;
import dev.rigger.agent.modules.ModuleRunner;
import dev.rigger.protocol.Addresses;
import dev.rigger.protocol.Bye;
import dev.rigger.protocol.CancelTask;
import dev.rigger.protocol.Heartbeat;
import dev.rigger.protocol.Hello;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolException;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.Ready;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.TaskResult;
import dev.rigger.protocol.Welcome;
import dev.rigger.protocol.bridge.BridgeClient;
import dev.rigger.protocol.bridge.BridgeFrame;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connected agent: says hello over the bridge with the token from stdin, registers its task address,
 * runs tasks, sends output, results and heartbeats, and stops when stdin ends (its SSH session is gone)
 * or the bridge connection closes. Exit codes are listed in {@link AgentMain}.
 */
public final class AgentRuntime {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(20);
    static final int WORKERS = 4;

    private final String host;
    private final String bridgeHost;
    private final int port;

    public AgentRuntime(String host, String bridgeHost, int port) {
        this.host = host;
        this.bridgeHost = bridgeHost;
        this.port = port;
    }

    /** Runs until stdin ends or the bridge goes away; returns the exit code. */
    public int run(BufferedReader stdin) throws IOException {
        String token = stdin.readLine();
        if (token == null || token.isBlank()) {
            AgentLog.error("no token on the first line of stdin; the controller passes it there");
            return AgentMain.EXIT_USAGE;
        }
        var facts = new FactsCollector(FactsOptions.atStart()).gather();
        BridgeClient client;
        try {
            client = BridgeClient.connect(bridgeHost, port, CONNECT_TIMEOUT);
        } catch (IOException e) {
            AgentLog.error("cannot reach the bridge at " + bridgeHost + ":" + port + ": " + e.getMessage());
            return AgentMain.EXIT_BRIDGE;
        }
        try (client) {
            Welcome welcome;
            try {
                JsonNode reply = client.request(Addresses.HELLO,
                        ProtocolJson.toTree(Hello.of(host, token, AgentVersion.get(), facts)), HELLO_TIMEOUT);
                welcome = ProtocolJson.fromTree(reply, Welcome.class);
            } catch (TimeoutException e) {
                AgentLog.error("no welcome from the controller within " + HELLO_TIMEOUT.toSeconds() + " s (host " + host + ")");
                return AgentMain.EXIT_BRIDGE;
            } catch (IOException | ProtocolException e) {
                AgentLog.error("the controller refused host " + host + ": " + e.getMessage());
                return AgentMain.EXIT_REFUSED;
            }
            return serve(client, welcome, stdin);
        }
    }

    private int serve(BridgeClient client, Welcome welcome, BufferedReader stdin) throws IOException {
        TaskDispatcher dispatcher = new TaskDispatcher(new ModuleRunner(), new BridgeListener(client), WORKERS);
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-heartbeat");
            t.setDaemon(true);
            return t;
        });
        try (dispatcher) {
            client.register(Addresses.tasks(host), frame -> accept(client, dispatcher, frame));
            client.register(Addresses.cancel(host), frame -> cancel(dispatcher, frame));
            client.publish(Addresses.READY, ProtocolJson.toTree(Ready.of(host)));
            AgentLog.info("host " + host + " ready on " + Addresses.tasks(host));
            if (welcome.heartbeatSec() > 0) {
                AtomicLong seq = new AtomicLong();
                beats.scheduleAtFixedRate(() -> sendQuietly(client, Addresses.HEARTBEAT,
                        Heartbeat.of(host, seq.incrementAndGet(), dispatcher.running())),
                        welcome.heartbeatSec(), welcome.heartbeatSec(), TimeUnit.SECONDS);
            }
            CompletableFuture<String> stdinClosed = CompletableFuture.supplyAsync(() -> drain(stdin), daemonThread());
            Object why = CompletableFuture.anyOf(stdinClosed, client.closed().thenApply(v -> "bridge")).join();
            if ("bridge".equals(why)) {
                AgentLog.warn("the bridge connection closed; stopping");
                return AgentMain.EXIT_BRIDGE;
            }
            AgentLog.info("stdin closed (the SSH session ended); stopping");
            sendQuietly(client, Addresses.BYE, Bye.of(host, "stdin closed"));
            return AgentMain.EXIT_OK;
        } finally {
            beats.shutdownNow();
        }
    }

    private void accept(BridgeClient client, TaskDispatcher dispatcher, BridgeFrame frame) {
        try {
            RunTask task = ProtocolJson.fromTree(frame.body(), RunTask.class);
            dispatcher.submit(task);
        } catch (ProtocolException e) {
            AgentLog.error("unreadable task on " + frame.address() + ": " + e.getMessage());
            JsonNode id = frame.body() == null ? null : frame.body().get("taskId");
            if (id != null && id.isTextual()) {
                sendQuietly(client, Addresses.TASK_RESULT, TaskResult.of(id.asText(), host,
                        ModuleResult.failed(String.valueOf(frame.body().path("module").asText(null)), e.getMessage())));
            }
        }
    }

    private void cancel(TaskDispatcher dispatcher, BridgeFrame frame) {
        try {
            CancelTask cancel = ProtocolJson.fromTree(frame.body(), CancelTask.class);
            if (host.equals(cancel.host()) && dispatcher.cancel(cancel.taskId())) {
                AgentLog.info("task " + cancel.taskId() + " cancelled: " + cancel.reason());
            }
        } catch (ProtocolException e) {
            AgentLog.error("unreadable cancel on " + frame.address() + ": " + e.getMessage());
        }
    }

    private void sendQuietly(BridgeClient client, String address, Object message) {
        try {
            client.send(address, ProtocolJson.toTree(message));
        } catch (IOException e) {
            AgentLog.warn("cannot send to " + address + ": " + e.getMessage());
        }
    }

    /** Reads stdin to its end: nothing more is expected there, but its end means the session is gone. */
    private static String drain(BufferedReader stdin) {
        try {
            while (stdin.readLine() != null) {
                // ignore: the controller speaks over the bridge, stdin only carried the token
            }
        } catch (IOException e) {
            // a broken stdin is as good as a closed one
        }
        return "stdin";
    }

    private static Executor daemonThread() {
        return r -> {
            Thread t = new Thread(r, "agent-stdin");
            t.setDaemon(true);
            t.start();
        };
    }

    private final class BridgeListener implements TaskDispatcher.Listener {
        private final BridgeClient client;

        BridgeListener(BridgeClient client) {
            this.client = client;
        }

        @Override
        public void output(RunTask task, TaskOutput.Stream stream, String line) {
            sendQuietly(client, Addresses.TASK_OUTPUT, TaskOutput.of(task.taskId(), host, stream, line));
        }

        @Override
        public void result(RunTask task, ModuleResult result) {
            sendQuietly(client, Addresses.TASK_RESULT, TaskResult.of(task.taskId(), host, result));
        }
    }
}
