package dev.rigger.lab;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a node container is created from. A null {@code dockerVolume} makes a node without dockerd: no
 * /var/lib/docker volume, and the image's init steps (which start dockerd) are hidden, so only sshd runs.
 */
record NodeSpec(String containerName, String hostname, String image, String network, String address,
                String loopDevice, String dockerVolume, Path authorizedKeys, Map<String, String> labels) {
    /** Where the data disk appears inside the node, like an EBS volume on a Xen EC2 instance. */
    static final String DATA_DISK = "/dev/xvdf";

    boolean runsDockerd() {
        return dockerVolume != null;
    }
}
