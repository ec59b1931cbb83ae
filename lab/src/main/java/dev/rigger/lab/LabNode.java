package dev.rigger.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * One lab host as a playbook run sees it: where to reach it, as whom, and the SSH host keys the lab read
 * from it out of band. The container, loop device and disk file say what backs it on this machine; they are
 * null when only the inventory file (not the lab's own state) was available.
 */
public record LabNode(String name, String hostname, String address, int port, String user,
                      List<String> hostKeys, String containerId, String loopDevice, Path diskFile) {
    public LabNode {
        hostKeys = List.copyOf(hostKeys);
    }
}
