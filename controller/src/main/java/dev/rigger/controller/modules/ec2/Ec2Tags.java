package dev.rigger.controller.modules.ec2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * How rigger finds its own EC2 resources again: every instance and data volume carries
 * {@code rigger:cluster=<cluster>} and {@code rigger:node=<cluster>-node<k>}. Everything the module does
 * is decided from these tags, so a second run, or a run after a controller was killed, adopts what exists.
 */
final class Ec2Tags {
    static final String CLUSTER = "rigger:cluster";
    static final String NODE = "rigger:node";
    static final String NAME = "Name";

    /** The states in which an instance still counts as the node's: it is adopted, not replaced. */
    static final Set<InstanceStateName> ADOPTED = Set.of(InstanceStateName.PENDING, InstanceStateName.RUNNING,
            InstanceStateName.STOPPING, InstanceStateName.STOPPED);

    /** Everything that is not gone yet: what {@code state: absent} must terminate. */
    static final Set<InstanceStateName> LIVE = Set.of(InstanceStateName.PENDING, InstanceStateName.RUNNING,
            InstanceStateName.STOPPING, InstanceStateName.STOPPED, InstanceStateName.SHUTTING_DOWN);

    private Ec2Tags() {
    }

    static String nodeName(String cluster, int k) {
        return cluster + "-node" + k;
    }

    /** The node number in {@code <cluster>-node<k>}, if the name belongs to this cluster. */
    static Optional<Integer> nodeNumber(String cluster, String nodeName) {
        if (nodeName == null) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile(Pattern.quote(cluster) + "-node([1-9][0-9]{0,3})").matcher(nodeName);
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** Node numbers 1..count that none of {@code present} holds, in order. */
    static SortedSet<Integer> missing(int count, Collection<Integer> present) {
        SortedSet<Integer> missing = new TreeSet<>();
        for (int k = 1; k <= count; k++) {
            if (!present.contains(k)) {
                missing.add(k);
            }
        }
        return missing;
    }

    static String value(List<Tag> tags, String key) {
        if (tags == null) {
            return null;
        }
        return tags.stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }

    /** True when the tags say the resource is this cluster's; filters are checked again here, never trusted blindly. */
    static boolean ofCluster(List<Tag> tags, String cluster) {
        return cluster.equals(value(tags, CLUSTER));
    }

    static Filter clusterFilter(String cluster) {
        return Filter.builder().name("tag:" + CLUSTER).values(cluster).build();
    }

    static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    static List<Tag> nodeTags(String cluster, int k) {
        List<Tag> tags = new ArrayList<>();
        tags.add(Tag.builder().key(CLUSTER).value(cluster).build());
        tags.add(Tag.builder().key(NODE).value(nodeName(cluster, k)).build());
        tags.add(Tag.builder().key(NAME).value(nodeName(cluster, k)).build());
        return tags;
    }

    static TagSpecification nodeTagSpecification(ResourceType type, String cluster, int k) {
        return TagSpecification.builder().resourceType(type).tags(nodeTags(cluster, k)).build();
    }

    /**
     * The idempotency token of one launch. It is the same for the same cluster, node and security group, so
     * a launch repeated after a lost answer or a killed controller returns the instance already made. The
     * group's id is in it because a cluster torn down and made again gets a new group: EC2 keeps tokens
     * for a day after termination, and the old token would hand back the terminated instance. Instances
     * of the node that are already gone are in it for the same reason.
     */
    static String clientToken(String kind, String cluster, int k, String securityGroupId, Collection<String> gone) {
        StringBuilder seed = new StringBuilder(kind).append('\n').append(cluster).append('\n').append(k)
                .append('\n').append(securityGroupId);
        new TreeSet<>(gone).forEach(id -> seed.append('\n').append(id));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.toString().getBytes(StandardCharsets.UTF_8));
            return "rigger-" + HexFormat.of().formatHex(digest, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
