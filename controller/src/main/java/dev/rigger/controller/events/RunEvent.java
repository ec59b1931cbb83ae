package dev.rigger.controller.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.rigger.controller.state.TaskKey;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.facts.HostFacts;
import java.util.List;
import java.util.Map;

/**
 * Everything a run reports. The console, the JSONL log, the state store and the recap are all
 * listeners of these, so they cannot disagree about what happened.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RunEvent.RunStarted.class, name = "RunStarted"),
        @JsonSubTypes.Type(value = RunEvent.PlayStarted.class, name = "PlayStarted"),
        @JsonSubTypes.Type(value = RunEvent.HostConnected.class, name = "HostConnected"),
        @JsonSubTypes.Type(value = RunEvent.HostUnreachable.class, name = "HostUnreachable"),
        @JsonSubTypes.Type(value = RunEvent.HostLost.class, name = "HostLost"),
        @JsonSubTypes.Type(value = RunEvent.Heartbeat.class, name = "Heartbeat"),
        @JsonSubTypes.Type(value = RunEvent.TaskStarted.class, name = "TaskStarted"),
        @JsonSubTypes.Type(value = RunEvent.TaskOutputLine.class, name = "TaskOutput"),
        @JsonSubTypes.Type(value = RunEvent.TaskFinished.class, name = "TaskFinished"),
        @JsonSubTypes.Type(value = RunEvent.PlayAborted.class, name = "PlayAborted"),
        @JsonSubTypes.Type(value = RunEvent.RunCancelled.class, name = "RunCancelled"),
        @JsonSubTypes.Type(value = RunEvent.RunFinished.class, name = "RunFinished"),
})
public sealed interface RunEvent {
    long at();

    record RunStarted(long at, String runId, String playbook, boolean check) implements RunEvent {
    }

    record PlayStarted(long at, String play, List<String> hosts) implements RunEvent {
    }

    record HostConnected(long at, String host, long tookMs, boolean runtimeShipped, boolean agentShipped,
                         long bytesShipped, HostFacts facts) implements RunEvent {
    }

    record HostUnreachable(long at, String host, String msg) implements RunEvent {
    }

    /**
     * The host went silent while {@code task} ran on it: no heartbeat, output or result for longer than
     * the loss threshold. Whether the task finished there is unknown; the host takes no further part in
     * the run. A {@link TaskFinished} (failed, its msg starting with "lost: ") follows for the task.
     */
    record HostLost(long at, String host, String task, String taskKey, String msg) implements RunEvent {
    }

    /** The host's agent is alive; at most one per heartbeat interval and host, while a run goes on. */
    record Heartbeat(long at, String host) implements RunEvent {
    }

    /** {@code taskKey} is a {@link TaskKey}'s encoding, the same key the state store files results under. */
    record TaskStarted(long at, String play, String task, String taskKey, String host) implements RunEvent {
    }

    /** {@code stream} is stdout or stderr for what a host's command printed, progress for what a controller-side step reports. */
    record TaskOutputLine(long at, String task, String host, String stream, String line) implements RunEvent {
        public static final String PROGRESS = "progress";
    }

    /**
     * A task ended on a host. A loop reports each item ({@code item} set) and then the whole task
     * ({@code loopSummary} true); the recap counts tasks, not items.
     */
    record TaskFinished(long at, String play, String task, String taskKey, String host, ModuleResult result,
                        boolean ignored, Object item, boolean loopSummary) implements RunEvent {
        public boolean countsInRecap() {
            return item == null;
        }
    }

    record PlayAborted(long at, String play, String msg) implements RunEvent {
    }

    /**
     * The run was cancelled ({@code DELETE /api/runs/{id}}): no further task starts, and the tasks running
     * then finish as {@code cancelled}, their commands killed by the agents. {@link RunFinished} follows.
     */
    record RunCancelled(long at, String runId, String msg) implements RunEvent {
    }

    record RunFinished(long at, String runId, Map<String, HostRecap> recap, long tookMs) implements RunEvent {
    }
}
