package dev.rigger.lab;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the lab made on this machine that Docker labels cannot find again: which loop device backs which
 * disk file. Written after every change so that {@code down} finds the loop devices even after a crash.
 */
record LabState(String name, String network, String subnet, Map<String, NodeState> nodes) {
    LabState {
        nodes = new LinkedHashMap<>(nodes == null ? Map.of() : nodes);
    }

    /** One node's backing: its loop device, the sparse file behind it, its container and address. */
    record NodeState(String loopDevice, String diskFile, String containerId, String address) {
        NodeState withContainerId(String id) {
            return new NodeState(loopDevice, diskFile, id, address);
        }

        NodeState withLoopDevice(String device) {
            return new NodeState(device, diskFile, containerId, address);
        }
    }

    static LabState empty(String name) {
        return new LabState(name, null, null, Map.of());
    }

    LabState withNetwork(String newNetwork, String newSubnet) {
        return new LabState(name, newNetwork, newSubnet, nodes);
    }

    LabState withNode(String node, NodeState state) {
        Map<String, NodeState> copy = new LinkedHashMap<>(nodes);
        copy.put(node, state);
        return new LabState(name, network, subnet, copy);
    }
}
