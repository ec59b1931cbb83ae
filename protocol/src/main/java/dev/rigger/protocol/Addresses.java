package dev.rigger.protocol;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Event-bus addresses that controller and agents use. The bridge admits only these, so every
 * address either side may speak on is listed here and nowhere else.
 */
public final class Addresses {
    /** Agent -> controller, request/reply: {@link Hello}, answered with {@link Welcome}. */
    public static final String HELLO = "rigger.agent.hello";
    /** Agent -> controller, publish: {@link Ready}, sent once the agent has registered its task address. */
    public static final String READY = "rigger.agent.ready";
    /** Agent -> controller: {@link TaskOutput} lines while a task runs. */
    public static final String TASK_OUTPUT = "rigger.task.output";
    /** Agent -> controller: {@link TaskResult} when a task ends. */
    public static final String TASK_RESULT = "rigger.task.result";
    /** Agent -> controller: {@link Heartbeat}. */
    public static final String HEARTBEAT = "rigger.agent.heartbeat";
    /** Agent -> controller: {@link Bye} when the agent stops on its own. */
    public static final String BYE = "rigger.agent.bye";

    /** Addresses an agent may send or publish to. */
    public static final List<String> AGENT_OUTBOUND =
            List.of(HELLO, READY, TASK_OUTPUT, TASK_RESULT, HEARTBEAT, BYE);

    /** Controller -> agent addresses look like {@code rigger.agent.<host>.tasks}. */
    public static final Pattern TASKS_PATTERN = Pattern.compile("rigger\\.agent\\.([A-Za-z0-9_.-]+)\\.tasks");

    /** Controller -> agent addresses for {@link CancelTask}s look like {@code rigger.agent.<host>.cancel}. */
    public static final Pattern CANCEL_PATTERN = Pattern.compile("rigger\\.agent\\.([A-Za-z0-9_.-]+)\\.cancel");

    /** The address on which the agent for {@code host} receives {@link RunTask}s. */
    public static String tasks(String host) {
        return "rigger.agent." + host + ".tasks";
    }

    /** The address on which the agent for {@code host} receives {@link CancelTask}s. */
    public static String cancel(String host) {
        return "rigger.agent." + host + ".cancel";
    }

    /** The addresses the agent for {@code host} may listen on: its own, no other host's. */
    public static List<String> agentInbound(String host) {
        return List.of(tasks(host), cancel(host));
    }

    private Addresses() {
    }
}
