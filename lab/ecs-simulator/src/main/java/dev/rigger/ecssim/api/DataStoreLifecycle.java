package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.ecssim.state.SimulatorState;
import dev.rigger.ecssim.state.StateStore;

import java.util.Iterator;
import java.util.Map;

/**
 * Moves data stores and their tasks along with the clock. Deadlines are wall-clock epoch millis kept in
 * the state file, so a store still initializing when the container stopped is ready once its time has
 * passed after the restart.
 */
public final class DataStoreLifecycle implements StateStore.Advancer {
    @Override
    public boolean advance(SimulatorState state, long nowMillis) {
        boolean changed = false;
        for (Iterator<Map.Entry<String, Long>> it = state.taskReadyAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> due = it.next();
            if (due.getValue() <= nowMillis) {
                for (ObjectNode task : state.dataStoreTasks) {
                    if (task.path("op_id").asText().equals(due.getKey())) {
                        task.put("state", "ready").put("end_time", nowMillis);
                    }
                }
                it.remove();
                changed = true;
            }
        }
        for (Iterator<Map.Entry<String, Long>> it = state.storeReadyAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> due = it.next();
            if (due.getValue() <= nowMillis) {
                for (ObjectNode ds : state.dataStores) {
                    if (ds.path("id").asText().equals(due.getKey())) {
                        ds.put("device_state", DataStoreResource.READY_TO_USE)
                                .put("usable_gb", 100).put("free_gb", 100);
                    }
                }
                it.remove();
                changed = true;
            }
        }
        return changed;
    }
}
