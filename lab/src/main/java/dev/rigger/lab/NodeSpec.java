package dev.rigger.lab;

import java.nio.file.Path;
import java.util.Map;

/** Everything a node container is created from. */
record NodeSpec(String containerName, String hostname, String image, String network, String address,
                String loopDevice, String dockerVolume, Path authorizedKeys, Map<String, String> labels) {
    /** Where the data disk appears inside the node, like an EBS volume on a Xen EC2 instance. */
    static final String DATA_DISK = "/dev/xvdf";
}
