package dev.rigger.lab;

import java.util.List;

/** A lab as it is right now: its network (null when absent), its node image and each node. */
public record LabStatus(String labName, String network, String subnet, String image, boolean imagePresent,
                        List<LabNodeStatus> nodes) {
    public LabStatus {
        nodes = List.copyOf(nodes);
    }

    /** True when nothing of the lab exists on this machine. */
    public boolean empty() {
        return network == null && nodes.isEmpty();
    }
}
