package dev.rigger.lab.ec2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the emulator knows, as it is written to {@code ec2-state.json}: plain mutable fields (the emulator
 * changes them under one lock) so that Jackson reads and writes them as they are.
 */
public final class Ec2State {
    public Map<String, KeyPair> keyPairs = new LinkedHashMap<>();
    public Map<String, SecurityGroup> securityGroups = new LinkedHashMap<>();
    public Map<String, Instance> instances = new LinkedHashMap<>();
    public Map<String, Volume> volumes = new LinkedHashMap<>();
    /** RunInstances / CreateVolume client tokens, so a retried call returns what the first one made. */
    public Map<String, List<String>> clientTokens = new LinkedHashMap<>();

    /** An imported key pair. */
    public static final class KeyPair {
        public String keyPairId;
        public String keyName;
        public String keyType;
        public String fingerprint;
        public String publicKey;
        public String createTime;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    /** A security group and its recorded ingress rules (the lab network does not enforce them). */
    public static final class SecurityGroup {
        public String groupId;
        public String groupName;
        public String description;
        public String vpcId;
        public List<Rule> ingress = new ArrayList<>();
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    /** One ingress permission: protocol, ports, and either a CIDR or a source group. */
    public static final class Rule {
        public String ruleId;
        public String protocol;
        public Integer fromPort;
        public Integer toPort;
        public String cidr;
        public String sourceGroupId;
        public String description;

        boolean sameAs(Rule other) {
            return java.util.Objects.equals(protocol, other.protocol) && java.util.Objects.equals(fromPort, other.fromPort)
                    && java.util.Objects.equals(toPort, other.toPort) && java.util.Objects.equals(cidr, other.cidr)
                    && java.util.Objects.equals(sourceGroupId, other.sourceGroupId);
        }
    }

    /** An instance: a lab host named after its id. */
    public static final class Instance {
        public String instanceId;
        public String reservationId;
        public String imageId;
        public String instanceType;
        public String keyName;
        public List<String> groupIds = new ArrayList<>();
        public String state;
        public String stateReason;
        public String privateIp;
        public String hostname;
        public String launchTime;
        public String terminatedAt;
        public int launchIndex;
        public String clientToken;
        public int rootVolumeGiB;
        public String containerId;
        /** "ssh-ed25519 AAAA…" lines and "256 SHA256:… (ED25519)" lines, read once the instance runs. */
        public List<String> hostKeys = new ArrayList<>();
        public List<String> hostKeyFingerprints = new ArrayList<>();
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    /** A volume: a sparse file, on a loop device while attached. */
    public static final class Volume {
        public String volumeId;
        public int sizeGiB;
        public String volumeType;
        public Integer iops;
        public Integer throughput;
        public String availabilityZone;
        public String state;
        public String createTime;
        public String file;
        public String loopDevice;
        public Attachment attachment;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    /** A volume's attachment to an instance. */
    public static final class Attachment {
        public String instanceId;
        public String device;
        public String state;
        public String attachTime;
        public boolean deleteOnTermination;
    }
}
