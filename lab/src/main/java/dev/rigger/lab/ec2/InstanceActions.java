package dev.rigger.lab.ec2;

import dev.rigger.lab.NodeImageKind;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instances: each one a lab host named after its instance id, with hostname {@code ip-a-b-c-d}, the next free
 * address of the lab network and the key pair's public key authorised for root. RunInstances answers
 * {@code pending} at once; a background task starts the host and makes it {@code running} once its sshd answers.
 * The public IP is the private one: the lab address is what the controller reaches.
 */
final class InstanceActions {
    private static final Set<String> FILTERS = Set.of("instance-id", "instance-state-name", "instance-state-code",
            "key-name", "image-id", "instance-type", "vpc-id", "subnet-id", "availability-zone", "private-ip-address",
            "ip-address", "private-dns-name", "reservation-id", "instance.group-id", "instance.group-name",
            "group-id", "group-name", "client-token", "launch-index");
    private static final Map<String, Integer> CODES = Map.of("pending", 0, "running", 16, "shutting-down", 32,
            "terminated", 48, "stopping", 64, "stopped", 80);
    private static final Duration TERMINATED_VISIBLE = Duration.ofHours(1);
    private static final int FIRST_HOST = 11;
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(InstanceActions.class.getName());

    private final Ec2Service s;

    InstanceActions(Ec2Service service) {
        this.s = service;
    }

    String run(QueryRequest r) {
        String imageId = r.require("ImageId");
        int min = r.integer("MinCount").orElseThrow(() -> Ec2ApiException.missing("MinCount"));
        int max = r.integer("MaxCount").orElseThrow(() -> Ec2ApiException.missing("MaxCount"));
        if (min < 1 || max < min) {
            throw Ec2ApiException.invalid("MinCount", min + "", "MinCount must be at least 1 and at most MaxCount.");
        }
        String token = r.get("ClientToken").orElse(null);
        if (token != null && s.state.clientTokens.containsKey("run:" + token)) {
            List<String> ids = s.state.clientTokens.get("run:" + token);
            return reservation("RunInstancesResponse", ids.stream().map(s.state.instances::get)
                    .filter(java.util.Objects::nonNull).toList());
        }
        if (Ec2Image.byId(imageId).isEmpty()) {
            throw Ec2Image.notFound(imageId);
        }
        String type = r.get("InstanceType").orElse("m1.small");
        if (!type.matches("[a-z0-9-]+\\.[a-z0-9]+")) {
            throw Ec2ApiException.invalid("InstanceType", type, "The instance type is not valid.");
        }
        String keyName = r.get("KeyName").orElse(null);
        Ec2State.KeyPair key = null;
        if (keyName != null) {
            key = s.state.keyPairs.get(keyName);
            if (key == null) {
                throw new Ec2ApiException("InvalidKeyPair.NotFound", "The key pair '" + keyName + "' does not exist");
            }
        }
        List<String> groups = new ArrayList<>(r.list("SecurityGroupId"));
        for (String name : r.list("SecurityGroup")) {
            groups.add(new AccessActions(s).groupIdByName(name));
        }
        for (String g : groups) {
            if (!s.state.securityGroups.containsKey(g)) {
                throw new Ec2ApiException("InvalidGroup.NotFound", "The security group '" + g + "' does not exist");
            }
        }
        String subnet = r.get("SubnetId").orElse(s.subnetId);
        if (!subnet.equals(s.subnetId)) {
            throw new Ec2ApiException("InvalidSubnetID.NotFound", "The subnet ID '" + subnet + "' does not exist");
        }
        String zone = r.get("Placement.AvailabilityZone").orElse(s.availabilityZone());
        if (!zone.equals(s.availabilityZone())) {
            throw Ec2ApiException.invalid("availabilityZone", zone, "The zone is not the subnet's zone "
                    + s.availabilityZone() + ".");
        }
        int rootGiB = 8;
        String rootType = "gp2";
        for (QueryRequest mapping : r.members("BlockDeviceMapping")) {
            if ("/dev/sda1".equals(mapping.get("DeviceName").orElse(""))) {
                rootGiB = mapping.integer("Ebs.VolumeSize").orElse(rootGiB);
                rootType = mapping.get("Ebs.VolumeType").orElse(rootType);
            }
        }
        if (s.faults.takeCapacityFailure()) {
            throw new Ec2ApiException("InsufficientInstanceCapacity", "We currently do not have sufficient " + type
                    + " capacity in the Availability Zone you requested (" + zone + "). Our system will be working on"
                    + " provisioning additional capacity.");
        }
        List<String> free = freeAddresses(max);
        if (free.size() < min) {
            throw new Ec2ApiException("InsufficientInstanceCapacity", "We currently do not have sufficient " + type
                    + " capacity in the Availability Zone you requested (" + zone + "): the lab network "
                    + s.subnetCidr + " has " + free.size() + " free addresses.");
        }
        int count = Math.min(max, free.size());
        String reservationId = Ec2Ids.next("r");
        Map<String, String> instanceTags = r.tagsFor("instance");
        Map<String, String> volumeTags = r.tagsFor("volume");
        List<Ec2State.Instance> launched = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            Ec2State.Instance i = new Ec2State.Instance();
            i.instanceId = Ec2Ids.next("i");
            i.reservationId = reservationId;
            i.imageId = imageId;
            i.instanceType = type;
            i.keyName = keyName;
            i.groupIds.addAll(groups);
            i.state = "pending";
            i.privateIp = free.get(n);
            i.hostname = "ip-" + i.privateIp.replace('.', '-');
            i.launchTime = Ec2Ids.now();
            i.launchIndex = n;
            i.clientToken = token;
            i.rootVolumeGiB = rootGiB;
            i.tags.putAll(instanceTags);
            s.state.instances.put(i.instanceId, i);
            Ec2State.Volume root = rootVolume(i, rootType, volumeTags);
            s.state.volumes.put(root.volumeId, root);
            launched.add(i);
        }
        if (token != null) {
            s.state.clientTokens.put("run:" + token, launched.stream().map(i -> i.instanceId).toList());
        }
        s.save();
        String publicKey = key == null ? null : key.publicKey;
        for (Ec2State.Instance i : launched) {
            s.later("launch of " + i.instanceId, () -> launch(i.instanceId, publicKey));
        }
        return reservation("RunInstancesResponse", launched);
    }

    /** The root EBS volume EC2 makes with each instance: the host's own file system stands behind it. */
    private Ec2State.Volume rootVolume(Ec2State.Instance i, String type, Map<String, String> tags) {
        Ec2State.Volume existing = s.state.volumes.values().stream()
                .filter(v -> v.file == null && v.attachment != null && i.instanceId.equals(v.attachment.instanceId))
                .findFirst().orElse(null);
        if (existing != null) {
            return existing;
        }
        Ec2State.Volume v = new Ec2State.Volume();
        v.volumeId = "vol-0" + Ec2Service.digest("root " + i.instanceId);
        v.sizeGiB = i.rootVolumeGiB;
        v.volumeType = type;
        v.availabilityZone = s.availabilityZone();
        v.state = "in-use";
        v.createTime = i.launchTime;
        v.tags.putAll(tags);
        v.attachment = new Ec2State.Attachment();
        v.attachment.instanceId = i.instanceId;
        v.attachment.device = "/dev/sda1";
        v.attachment.state = "attached";
        v.attachment.attachTime = i.launchTime;
        v.attachment.deleteOnTermination = true;
        return v;
    }

    private List<String> freeAddresses(int wanted) {
        Set<String> used = new HashSet<>();
        s.state.instances.values().stream().filter(i -> !"terminated".equals(i.state)).forEach(i -> used.add(i.privateIp));
        String prefix = s.subnetCidr.substring(0, s.subnetCidr.lastIndexOf('.') + 1);
        List<String> free = new ArrayList<>();
        for (int host = FIRST_HOST; host <= 250 && free.size() < wanted; host++) {
            if (!used.contains(prefix + host)) {
                free.add(prefix + host);
            }
        }
        return free;
    }

    /** Background: start the host, wait for sshd (and the configured delay), read its host keys, mark it running. */
    private void launch(String instanceId, String publicKey) {
        long started = System.nanoTime();
        Ec2State.Instance i;
        long delay;
        synchronized (s) {
            i = s.state.instances.get(instanceId);
            if (i == null || !"pending".equals(i.state)) {
                return;
            }
            delay = s.faults.stateDelayMillis();
        }
        try {
            // the AMI decides the lab image; a missing one is built here, so the instance stays pending meanwhile
            NodeImageKind kind = Ec2Image.byId(i.imageId).orElseThrow(() -> Ec2Image.notFound(i.imageId)).kind();
            String containerId = s.backing.start(instanceId, i.hostname, i.privateIp, publicKey, kind);
            synchronized (s) {
                if (!"pending".equals(i.state)) {
                    s.backing.remove(instanceId);
                    return;
                }
                i.containerId = containerId;
                s.save();
            }
            awaitRunning(i, started, delay);
        } catch (RuntimeException e) {
            failLaunch(i, e);
        }
    }

    private void awaitRunning(Ec2State.Instance i, long started, long delay) {
        s.backing.awaitSsh(i.instanceId, i.privateIp, started, delay, () -> {
            synchronized (s) {
                return "pending".equals(i.state);
            }
        });
        LabBacking.HostKeys keys = s.backing.hostKeys(i.instanceId);
        synchronized (s) {
            if ("pending".equals(i.state)) {
                i.state = "running";
                i.hostKeys = keys.keys();
                i.hostKeyFingerprints = keys.fingerprints();
                s.save();
                LOG.info(String.format("%s (%s) running after %.1f s", i.instanceId, i.privateIp,
                        (System.nanoTime() - started) / 1e9));
            }
        }
    }

    private void failLaunch(Ec2State.Instance i, RuntimeException e) {
        synchronized (s) {
            if (!"pending".equals(i.state) || s.closing()) {
                return;
            }
            i.state = "terminated";
            i.terminatedAt = Ec2Ids.now();
            i.stateReason = "Server.InternalError: " + e.getMessage();
            releaseVolumes(i);
            s.save();
        }
        s.backing.remove(i.instanceId);
    }

    /** After a restart: pending instances are awaited (or launched) again, shutting-down ones finished. */
    void resume() {
        for (Ec2State.Instance i : s.state.instances.values()) {
            if ("pending".equals(i.state)) {
                String key = i.keyName == null || !s.state.keyPairs.containsKey(i.keyName) ? null
                        : s.state.keyPairs.get(i.keyName).publicKey;
                if (s.backing.exists(i.instanceId)) {
                    s.later("wait for " + i.instanceId, () -> {
                        try {
                            awaitRunning(i, System.nanoTime(), 0);
                        } catch (RuntimeException e) {
                            failLaunch(i, e);
                        }
                    });
                } else {
                    s.later("launch of " + i.instanceId, () -> launch(i.instanceId, key));
                }
            } else if ("running".equals(i.state) && s.backing.restartIfStopped(i.instanceId)) {
                LOG.info(i.instanceId + ": its lab host had stopped; started it again");
            } else if ("shutting-down".equals(i.state)) {
                s.later("termination of " + i.instanceId, () -> finishTermination(i.instanceId));
            }
        }
    }

    String describe(QueryRequest r) {
        pruneTerminated();
        List<String> ids = r.list("InstanceId");
        Integer maxResults = r.integer("MaxResults").orElse(null);
        if (maxResults != null && !ids.isEmpty()) {
            throw new Ec2ApiException("InvalidParameterCombination",
                    "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        if (maxResults != null && (maxResults < 5 || maxResults > 1000)) {
            throw Ec2ApiException.invalid("maxResults", "" + maxResults, "Expecting a value between 5 and 1000.");
        }
        for (String id : ids) {
            if (!s.state.instances.containsKey(id)) {
                throw new Ec2ApiException(id.matches("i-[0-9a-f]{8,17}") ? "InvalidInstanceID.NotFound"
                        : "InvalidInstanceID.Malformed", "The instance ID '" + id + "' does not exist");
            }
        }
        List<Ec2Filter> filters = r.filters();
        List<Ec2State.Instance> matching = new ArrayList<>();
        for (Ec2State.Instance i : s.state.instances.values()) {
            if ((ids.isEmpty() || ids.contains(i.instanceId)) && Ec2Filter.all(filters, FILTERS, fields(i), i.tags)) {
                matching.add(i);
            }
        }
        Page<Ec2State.Instance> page = Page.of(matching, maxResults, r.get("NextToken").orElse(null));
        XmlWriter x = new XmlWriter().root("DescribeInstancesResponse").leaf("requestId", "%REQUEST_ID%")
                .start("reservationSet");
        Map<String, List<Ec2State.Instance>> byReservation = new LinkedHashMap<>();
        page.items().forEach(i -> byReservation.computeIfAbsent(i.reservationId, k -> new ArrayList<>()).add(i));
        byReservation.values().forEach(list -> {
            x.start("item");
            reservationBody(x, list);
            x.end();
        });
        x.end().leaf("nextToken", page.nextToken());
        return x.finish();
    }

    private Map<String, List<String>> fields(Ec2State.Instance i) {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("instance-id", List.of(i.instanceId));
        f.put("instance-state-name", List.of(i.state));
        f.put("instance-state-code", List.of("" + CODES.get(i.state)));
        f.put("key-name", i.keyName == null ? List.of() : List.of(i.keyName));
        f.put("image-id", List.of(i.imageId));
        f.put("instance-type", List.of(i.instanceType));
        f.put("vpc-id", List.of(s.vpcId));
        f.put("subnet-id", List.of(s.subnetId));
        f.put("availability-zone", List.of(s.availabilityZone()));
        boolean addressed = !"terminated".equals(i.state);
        f.put("private-ip-address", addressed ? List.of(i.privateIp) : List.of());
        f.put("ip-address", addressed ? List.of(i.privateIp) : List.of());
        f.put("private-dns-name", List.of(privateDns(i)));
        f.put("reservation-id", List.of(i.reservationId));
        List<String> groupNames = i.groupIds.stream().map(g -> s.state.securityGroups.get(g))
                .filter(java.util.Objects::nonNull).map(g -> g.groupName).toList();
        f.put("instance.group-id", i.groupIds);
        f.put("group-id", i.groupIds);
        f.put("instance.group-name", groupNames);
        f.put("group-name", groupNames);
        f.put("client-token", i.clientToken == null ? List.of() : List.of(i.clientToken));
        f.put("launch-index", List.of("" + i.launchIndex));
        return f;
    }

    private void pruneTerminated() {
        Instant cutoff = Instant.now().minus(TERMINATED_VISIBLE);
        boolean removed = s.state.instances.values().removeIf(i -> "terminated".equals(i.state) && i.terminatedAt != null
                && Instant.parse(i.terminatedAt).isBefore(cutoff));
        if (removed) {
            s.save();
        }
    }

    String terminate(QueryRequest r) {
        List<String> ids = r.list("InstanceId");
        if (ids.isEmpty()) {
            throw Ec2ApiException.missing("InstanceId");
        }
        for (String id : ids) {
            if (!s.state.instances.containsKey(id)) {
                throw new Ec2ApiException("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
            }
        }
        XmlWriter x = new XmlWriter().root("TerminateInstancesResponse").leaf("requestId", "%REQUEST_ID%")
                .start("instancesSet");
        for (String id : ids) {
            Ec2State.Instance i = s.state.instances.get(id);
            String previous = i.state;
            if (!"terminated".equals(i.state) && !"shutting-down".equals(i.state)) {
                i.state = "shutting-down";
                s.later("termination of " + id, () -> finishTermination(id));
            }
            x.start("item").leaf("instanceId", id).start("currentState").leaf("code", CODES.get(i.state))
                    .leaf("name", i.state).end().start("previousState").leaf("code", CODES.get(previous))
                    .leaf("name", previous).end().end();
        }
        s.save();
        return x.finish();
    }

    /** Background: data volumes leave the host, the host goes, the instance is terminated. */
    private void finishTermination(String instanceId) {
        List<Ec2State.Volume> attached;
        synchronized (s) {
            attached = s.state.volumes.values().stream().filter(v -> v.file != null && v.attachment != null
                    && instanceId.equals(v.attachment.instanceId)).toList();
        }
        for (Ec2State.Volume v : attached) {
            s.backing.detach(java.nio.file.Path.of(v.file), instanceId, Devices.inside(v.attachment.device));
        }
        s.backing.remove(instanceId);
        synchronized (s) {
            Ec2State.Instance i = s.state.instances.get(instanceId);
            if (i != null) {
                i.state = "terminated";
                i.terminatedAt = Ec2Ids.now();
                i.stateReason = "Client.UserInitiatedShutdown: User initiated shutdown";
                i.containerId = null;
                releaseVolumes(i);
            }
            s.save();
        }
    }

    /** Root volumes go with the instance; data volumes become available (DeleteOnTermination false). */
    private void releaseVolumes(Ec2State.Instance i) {
        s.state.volumes.values().removeIf(v -> v.attachment != null && i.instanceId.equals(v.attachment.instanceId)
                && v.attachment.deleteOnTermination && v.file == null);
        for (Ec2State.Volume v : s.state.volumes.values()) {
            if (v.attachment != null && i.instanceId.equals(v.attachment.instanceId)) {
                v.attachment = null;
                v.loopDevice = null;
                v.state = "available";
            }
        }
    }

    String consoleOutput(QueryRequest r) {
        String id = r.require("InstanceId");
        Ec2State.Instance i = s.state.instances.get(id);
        if (i == null) {
            throw new Ec2ApiException("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
        }
        XmlWriter x = new XmlWriter().root("GetConsoleOutputResponse").leaf("requestId", "%REQUEST_ID%")
                .leaf("instanceId", id).leaf("timestamp", Ec2Ids.now());
        if (!i.hostKeys.isEmpty()) {
            x.leaf("output", Base64.getEncoder().encodeToString(ConsoleText.of(i).getBytes(StandardCharsets.UTF_8)));
        }
        return x.finish();
    }

    private String reservation(String root, List<Ec2State.Instance> list) {
        XmlWriter x = new XmlWriter().root(root).leaf("requestId", "%REQUEST_ID%");
        reservationBody(x, list);
        return x.finish();
    }

    private void reservationBody(XmlWriter x, List<Ec2State.Instance> list) {
        x.leaf("reservationId", list.isEmpty() ? null : list.get(0).reservationId).leaf("ownerId", Ec2Ids.ACCOUNT)
                .start("groupSet").end().start("instancesSet");
        list.forEach(i -> instance(x, i));
        x.end();
    }

    private String privateDns(Ec2State.Instance i) {
        return i.hostname + (s.options.region().equals("us-east-1") ? ".ec2.internal"
                : "." + s.options.region() + ".compute.internal");
    }

    private void instance(XmlWriter x, Ec2State.Instance i) {
        boolean addressed = !"terminated".equals(i.state);
        x.start("item").leaf("instanceId", i.instanceId).leaf("imageId", i.imageId)
                .start("instanceState").leaf("code", CODES.get(i.state)).leaf("name", i.state).end()
                .leaf("privateDnsName", addressed ? privateDns(i) : "")
                .leaf("dnsName", "").leaf("reason", "terminated".equals(i.state) ? "User initiated" : "")
                .leaf("keyName", i.keyName).leaf("amiLaunchIndex", i.launchIndex).start("productCodes").end()
                .leaf("instanceType", i.instanceType).leaf("launchTime", i.launchTime)
                .start("placement").leaf("availabilityZone", s.availabilityZone()).leaf("groupName", "")
                .leaf("tenancy", "default").end()
                .start("monitoring").leaf("state", "disabled").end();
        if (addressed) {
            x.leaf("subnetId", s.subnetId).leaf("vpcId", s.vpcId).leaf("privateIpAddress", i.privateIp)
                    .leaf("ipAddress", i.privateIp);
        }
        x.leaf("sourceDestCheck", "true").start("groupSet");
        for (String g : i.groupIds) {
            Ec2State.SecurityGroup group = s.state.securityGroups.get(g);
            x.start("item").leaf("groupId", g).leaf("groupName", group == null ? null : group.groupName).end();
        }
        x.end();
        if (i.stateReason != null) {
            String[] reason = i.stateReason.split(": ", 2);
            x.start("stateReason").leaf("code", reason[0]).leaf("message", i.stateReason).end();
        }
        x.leaf("architecture", "x86_64").leaf("rootDeviceType", "ebs").leaf("rootDeviceName", "/dev/sda1")
                .start("blockDeviceMapping");
        for (Ec2State.Volume v : s.state.volumes.values()) {
            if (v.attachment != null && i.instanceId.equals(v.attachment.instanceId)) {
                x.start("item").leaf("deviceName", v.attachment.device).start("ebs").leaf("volumeId", v.volumeId)
                        .leaf("status", v.attachment.state).leaf("attachTime", v.attachment.attachTime)
                        .leaf("deleteOnTermination", v.attachment.deleteOnTermination).end().end();
            }
        }
        x.end().leaf("virtualizationType", "hvm").leaf("clientToken", i.clientToken == null ? "" : i.clientToken);
        CatalogActions.tagSet(x, i.tags);
        x.leaf("hypervisor", "xen").leaf("ebsOptimized", "false").leaf("enaSupport", "true")
                .start("metadataOptions").leaf("state", "applied").leaf("httpTokens", "required").end()
                .leaf("platformDetails", "Linux/UNIX").end();
    }
}
