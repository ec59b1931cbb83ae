package dev.rigger.controller.run;

import dev.rigger.controller.agents.AgentGoneException;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.facts.HostFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Hosts that live in memory: connecting never leaves the process, and each task's answer is scripted per
 * host and command ({@code args.cmd} of a {@code command} task). What is not scripted succeeds unchanged,
 * with the command as its {@code stdout}. Every call is recorded in the order it happened, so tests can
 * say which host ran what, and when relative to the others.
 */
final class ScriptedConnector implements HostConnector {
    /** A scripted answer: {@code call} counts this host's calls of this command, from 1. */
    @FunctionalInterface
    interface Answer {
        CompletableFuture<ModuleResult> answer(RunTask task, int call);
    }

    private final Map<String, String> unreachable = new ConcurrentHashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final Set<String> closed = ConcurrentHashMap.newKeySet();

    /** Connecting to {@code host} fails with {@code why}. */
    ScriptedConnector unreachable(String host, String why) {
        unreachable.put(host, why);
        return this;
    }

    /** {@code cmd} on {@code host} answers as {@code answer} says. */
    ScriptedConnector on(String host, String cmd, Answer answer) {
        answers.put(host + " " + cmd, answer);
        return this;
    }

    /** {@code cmd} on {@code host} fails every time. */
    ScriptedConnector fails(String host, String cmd) {
        return on(host, cmd, (task, call) -> done(ModuleResult.failed(task.module(), cmd + " failed")));
    }

    /** {@code cmd} on {@code host} fails the first {@code times} calls, then changes something. */
    ScriptedConnector failsFirst(String host, String cmd, int times) {
        return on(host, cmd, (task, call) -> done(call <= times
                ? ModuleResult.failed(task.module(), cmd + " failed (call " + call + ")")
                : changed(task, cmd)));
    }

    /** {@code cmd} on {@code host} changes something. */
    ScriptedConnector changes(String host, String cmd) {
        return on(host, cmd, (task, call) -> done(changed(task, cmd)));
    }

    /** The agent of {@code host} falls silent while it runs {@code cmd}. */
    ScriptedConnector goesSilentIn(String host, String cmd) {
        return on(host, cmd, (task, call) -> CompletableFuture.failedFuture(
                new AgentGoneException(host + " fell silent while running " + cmd)));
    }

    /** The connection to {@code host} breaks while it runs {@code cmd}. */
    ScriptedConnector connectionBreaksIn(String host, String cmd) {
        return on(host, cmd, (task, call) -> CompletableFuture.failedFuture(
                new IllegalStateException("connection to " + host + " closed")));
    }

    /** "host cmd" for every task call, in the order the calls started. */
    List<String> started() {
        return List.copyOf(started);
    }

    /** "host cmd" for every task call, in the order their answers were given. */
    List<String> ended() {
        return List.copyOf(ended);
    }

    /** The commands {@code host} was asked to run, in order. */
    List<String> ranOn(String host) {
        List<String> ran = new ArrayList<>();
        started.stream().filter(c -> c.startsWith(host + " ")).forEach(c -> ran.add(c.substring(host.length() + 1)));
        return ran;
    }

    /** How many times {@code host} was asked to run {@code cmd}. */
    int calls(String host, String cmd) {
        AtomicInteger n = calls.get(host + " " + cmd);
        return n == null ? 0 : n.get();
    }

    /** Whether the session of {@code host} was closed. */
    boolean closed(String host) {
        return closed.contains(host);
    }

    static CompletableFuture<ModuleResult> done(ModuleResult result) {
        return CompletableFuture.completedFuture(result);
    }

    static ModuleResult ok(RunTask task, Map<String, Object> data) {
        return new ModuleResult(task.module(), Status.OK, false, null, null, data, List.of(), 1);
    }

    private static ModuleResult changed(RunTask task, String cmd) {
        return new ModuleResult(task.module(), Status.CHANGED, true, null, null, Map.of("stdout", cmd), List.of(), 1);
    }

    @Override
    public HostSession connect(InventoryHost host) throws UnreachableException {
        String why = unreachable.get(host.name());
        if (why != null) {
            throw new UnreachableException(host.name() + ": " + why);
        }
        return new ScriptedSession(host.name());
    }

    private final class ScriptedSession implements HostSession {
        private final String host;

        ScriptedSession(String host) {
            this.host = host;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public HostFacts facts() {
            return null;
        }

        @Override
        public CompletableFuture<ModuleResult> run(RunTask task, Consumer<TaskOutput> output) {
            String cmd = task.args().path("cmd").asText();
            String key = host + " " + cmd;
            started.add(key);
            int call = calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.get(key);
            CompletableFuture<ModuleResult> result = answer != null ? answer.answer(task, call)
                    : done(ok(task, Map.of("stdout", cmd)));
            return result.whenComplete((r, e) -> ended.add(key));
        }

        @Override
        public void abandon(String taskId) {
        }

        @Override
        public void close() {
            closed.add(host);
        }
    }
}
