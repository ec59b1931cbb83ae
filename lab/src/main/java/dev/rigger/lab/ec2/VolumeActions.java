package dev.rigger.lab.ec2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Volumes: a sparse file of Size GiB under the lab's disks directory. AttachVolume puts it on a loop device and
 * that device into the instance (mknod) at the Xen name of the device asked for (/dev/sdf -> /dev/xvdf);
 * DetachVolume takes it out and releases the loop device; DeleteVolume deletes the file.
 */
final class VolumeActions {
    private static final Set<String> FILTERS = Set.of("volume-id", "status", "size", "volume-type",
            "availability-zone", "attachment.instance-id", "attachment.device", "attachment.status",
            "attachment.delete-on-termination", "create-time", "encrypted");
    private static final Set<String> TYPES = Set.of("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard");

    private final Ec2Service s;

    VolumeActions(Ec2Service service) {
        this.s = service;
    }

    String create(QueryRequest r) {
        String token = r.get("ClientToken").orElse(null);
        if (token != null && s.state.clientTokens.containsKey("volume:" + token)) {
            Ec2State.Volume v = s.state.volumes.get(s.state.clientTokens.get("volume:" + token).get(0));
            if (v != null) {
                return created(v);
            }
        }
        String zone = r.require("AvailabilityZone");
        if (!zone.equals(s.availabilityZone())) {
            throw Ec2ApiException.invalid("availabilityZone", zone, "The zone does not exist; this region has "
                    + s.availabilityZone() + ".");
        }
        int size = r.integer("Size").orElseThrow(() -> new Ec2ApiException("MissingParameter",
                "The request must contain the parameter size or snapshotId"));
        String type = r.get("VolumeType").orElse("gp2");
        if (!TYPES.contains(type)) {
            throw Ec2ApiException.invalid("volumeType", type, "Valid types are " + TYPES + ".");
        }
        if (size < 1 || size > 16384) {
            throw Ec2ApiException.invalid("size", "" + size, "Volume size must be 1..16384 GiB.");
        }
        Ec2State.Volume v = new Ec2State.Volume();
        v.volumeId = Ec2Ids.next("vol");
        v.sizeGiB = size;
        v.volumeType = type;
        v.iops = r.integer("Iops").orElse(type.equals("gp3") ? Integer.valueOf(3000) : null);
        v.throughput = r.integer("Throughput").orElse(type.equals("gp3") ? Integer.valueOf(125) : null);
        v.availabilityZone = zone;
        v.createTime = Ec2Ids.now();
        v.tags.putAll(r.tagsFor("volume"));
        Path file = s.backing.volumeFile(v.volumeId);
        v.file = file.toString();
        s.backing.createVolumeFile(file, (long) size << 30);
        v.state = "available";
        s.state.volumes.put(v.volumeId, v);
        if (token != null) {
            s.state.clientTokens.put("volume:" + token, List.of(v.volumeId));
        }
        s.save();
        return created(v);
    }

    /** EC2 answers "creating"; the sparse file exists already, so Describe shows "available" at once. */
    private String created(Ec2State.Volume v) {
        XmlWriter x = new XmlWriter().root("CreateVolumeResponse").leaf("requestId", "%REQUEST_ID%")
                .leaf("volumeId", v.volumeId).leaf("size", v.sizeGiB).leaf("snapshotId", "")
                .leaf("availabilityZone", v.availabilityZone).leaf("status", "creating").leaf("createTime", v.createTime)
                .leaf("volumeType", v.volumeType).leaf("iops", v.iops).leaf("encrypted", "false")
                .leaf("multiAttachEnabled", "false").leaf("throughput", v.throughput);
        CatalogActions.tagSet(x, v.tags);
        return x.finish();
    }

    String describe(QueryRequest r) {
        List<String> ids = r.list("VolumeId");
        Integer maxResults = r.integer("MaxResults").orElse(null);
        if (maxResults != null && !ids.isEmpty()) {
            throw new Ec2ApiException("InvalidParameterCombination",
                    "The parameter volumeSet cannot be used with the parameter maxResults");
        }
        if (maxResults != null && (maxResults < 5 || maxResults > 500)) {
            throw Ec2ApiException.invalid("maxResults", "" + maxResults, "Expecting a value between 5 and 500.");
        }
        for (String id : ids) {
            if (!s.state.volumes.containsKey(id)) {
                throw new Ec2ApiException(id.startsWith("vol-") ? "InvalidVolume.NotFound" : "InvalidParameterValue",
                        "The volume '" + id + "' does not exist.");
            }
        }
        List<Ec2Filter> filters = r.filters();
        List<Ec2State.Volume> matching = new ArrayList<>();
        for (Ec2State.Volume v : s.state.volumes.values()) {
            if ((ids.isEmpty() || ids.contains(v.volumeId)) && Ec2Filter.all(filters, FILTERS, fields(v), v.tags)) {
                matching.add(v);
            }
        }
        Page<Ec2State.Volume> page = Page.of(matching, maxResults, r.get("NextToken").orElse(null));
        XmlWriter x = new XmlWriter().root("DescribeVolumesResponse").leaf("requestId", "%REQUEST_ID%").start("volumeSet");
        for (Ec2State.Volume v : page.items()) {
            x.start("item").leaf("volumeId", v.volumeId).leaf("size", v.sizeGiB).leaf("snapshotId", "")
                    .leaf("availabilityZone", v.availabilityZone).leaf("status", v.state).leaf("createTime", v.createTime)
                    .start("attachmentSet");
            if (v.attachment != null) {
                attachment(x.start("item"), v).end();
            }
            x.end();
            CatalogActions.tagSet(x, v.tags);
            x.leaf("volumeType", v.volumeType).leaf("iops", v.iops).leaf("encrypted", "false")
                    .leaf("multiAttachEnabled", "false").leaf("throughput", v.throughput).end();
        }
        x.end().leaf("nextToken", page.nextToken());
        return x.finish();
    }

    private static XmlWriter attachment(XmlWriter x, Ec2State.Volume v) {
        return x.leaf("volumeId", v.volumeId).leaf("instanceId", v.attachment.instanceId)
                .leaf("device", v.attachment.device).leaf("status", v.attachment.state)
                .leaf("attachTime", v.attachment.attachTime)
                .leaf("deleteOnTermination", v.attachment.deleteOnTermination);
    }

    private static Map<String, List<String>> fields(Ec2State.Volume v) {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("volume-id", List.of(v.volumeId));
        f.put("status", List.of(v.state));
        f.put("size", List.of("" + v.sizeGiB));
        f.put("volume-type", List.of(v.volumeType));
        f.put("availability-zone", List.of(v.availabilityZone));
        f.put("create-time", List.of(v.createTime));
        f.put("encrypted", List.of("false"));
        if (v.attachment != null) {
            f.put("attachment.instance-id", List.of(v.attachment.instanceId));
            f.put("attachment.device", List.of(v.attachment.device));
            f.put("attachment.status", List.of(v.attachment.state));
            f.put("attachment.delete-on-termination", List.of("" + v.attachment.deleteOnTermination));
        }
        return f;
    }

    String attach(QueryRequest r) {
        Ec2State.Volume v = volume(r.require("VolumeId"));
        String instanceId = r.require("InstanceId");
        String device = r.require("Device");
        Ec2State.Instance i = s.state.instances.get(instanceId);
        if (i == null) {
            throw new Ec2ApiException("InvalidInstanceID.NotFound", "The instance ID '" + instanceId + "' does not exist");
        }
        if (v.attachment != null || !"available".equals(v.state)) {
            throw new Ec2ApiException("VolumeInUse", v.volumeId + " is already attached to an instance");
        }
        if (!"running".equals(i.state)) {
            throw new Ec2ApiException("IncorrectState", "Instance '" + instanceId + "' is not 'running'.");
        }
        if (!Devices.valid(device)) {
            throw Ec2ApiException.invalid("device", device, "Invalid value '" + device + "' for unixDevice.");
        }
        boolean taken = s.state.volumes.values().stream().anyMatch(o -> o.attachment != null
                && instanceId.equals(o.attachment.instanceId)
                && Devices.inside(o.attachment.device).equals(Devices.inside(device)));
        if (taken) {
            throw Ec2ApiException.invalid("device", device, "Invalid value '" + device
                    + "' for unixDevice. Attachment point " + device + " is already in use");
        }
        if (!v.availabilityZone.equals(s.availabilityZone())) {
            throw new Ec2ApiException("InvalidVolume.ZoneMismatch", "The volume is not in the instance's zone");
        }
        Ec2State.Attachment a = new Ec2State.Attachment();
        a.instanceId = instanceId;
        a.device = device;
        a.state = "attaching";
        a.attachTime = Ec2Ids.now();
        a.deleteOnTermination = false;
        v.attachment = a;
        v.state = "in-use";
        s.save();
        long delay = s.faults.stateDelayMillis();
        String volumeId = v.volumeId;
        s.later("attachment of " + volumeId, () -> finishAttach(volumeId, delay));
        return attachment(new XmlWriter().root("AttachVolumeResponse").leaf("requestId", "%REQUEST_ID%"), v).finish();
    }

    /** Background: after the configured delay, loop device and device node; then the attachment is attached. */
    private void finishAttach(String volumeId, long delayMillis) {
        LabBacking.sleep(delayMillis);
        Ec2State.Volume v;
        String instanceId;
        String device;
        synchronized (s) {
            v = s.state.volumes.get(volumeId);
            if (v == null || v.attachment == null || !"attaching".equals(v.attachment.state)) {
                return;
            }
            instanceId = v.attachment.instanceId;
            device = Devices.inside(v.attachment.device);
        }
        try {
            String loop = s.backing.attach(Path.of(v.file), instanceId, device);
            synchronized (s) {
                if (v.attachment != null && "attaching".equals(v.attachment.state)) {
                    v.attachment.state = "attached";
                    v.loopDevice = loop;
                    s.save();
                    return;
                }
            }
            // detached or terminated meanwhile: undo
            s.backing.detach(Path.of(v.file), instanceId, device);
        } catch (RuntimeException e) {
            if (s.closing()) {
                throw e;
            }
            synchronized (s) {
                v.attachment = null;
                v.loopDevice = null;
                v.state = "available";
                s.save();
            }
            throw e;
        }
    }

    String detach(QueryRequest r) {
        Ec2State.Volume v = volume(r.require("VolumeId"));
        if (v.attachment == null) {
            throw new Ec2ApiException("IncorrectState", "Volume '" + v.volumeId + "' is in the 'available' state.");
        }
        String instanceId = r.get("InstanceId").orElse(v.attachment.instanceId);
        if (!instanceId.equals(v.attachment.instanceId)) {
            throw new Ec2ApiException("InvalidAttachment.NotFound", "Volume '" + v.volumeId
                    + "' is not attached to instance '" + instanceId + "'");
        }
        if (v.file == null) {
            throw new Ec2ApiException("OperationNotPermitted", "The root volume " + v.volumeId
                    + " of a running instance cannot be detached");
        }
        String device = v.attachment.device;
        v.attachment.state = "detaching";
        s.save();
        XmlWriter x = attachment(new XmlWriter().root("DetachVolumeResponse").leaf("requestId", "%REQUEST_ID%"), v);
        String volumeId = v.volumeId;
        s.later("detachment of " + volumeId, () -> finishDetach(volumeId, instanceId, device));
        return x.finish();
    }

    private void finishDetach(String volumeId, String instanceId, String device) {
        Ec2State.Volume v;
        synchronized (s) {
            v = s.state.volumes.get(volumeId);
            if (v == null || v.attachment == null || !"detaching".equals(v.attachment.state)) {
                return;
            }
        }
        s.backing.detach(Path.of(v.file), instanceId, Devices.inside(device));
        synchronized (s) {
            v.attachment = null;
            v.loopDevice = null;
            v.state = "available";
            s.save();
        }
    }

    String delete(QueryRequest r) {
        Ec2State.Volume v = volume(r.require("VolumeId"));
        if (v.attachment != null) {
            throw new Ec2ApiException("VolumeInUse", "Volume " + v.volumeId + " is currently attached to "
                    + v.attachment.instanceId);
        }
        s.backing.deleteVolumeFile(Path.of(v.file));
        s.state.volumes.remove(v.volumeId);
        s.save();
        return new XmlWriter().root("DeleteVolumeResponse").leaf("requestId", "%REQUEST_ID%").leaf("return", "true")
                .finish();
    }

    /** After a restart: unfinished attachments and detachments are finished; attached devices are made sure of. */
    void resume() {
        for (Ec2State.Volume v : s.state.volumes.values()) {
            if (v.attachment == null || v.file == null) {
                continue;
            }
            String id = v.volumeId;
            switch (v.attachment.state) {
                case "attaching" -> s.later("attachment of " + id, () -> finishAttach(id, 0));
                case "detaching" -> s.later("detachment of " + id,
                        () -> finishDetach(id, v.attachment.instanceId, v.attachment.device));
                default -> {
                    // the loop device (host reboot) or the device node (host restarted: a new /dev) may be gone
                    String instanceId = v.attachment.instanceId;
                    String device = Devices.inside(v.attachment.device);
                    if (s.backing.exists(instanceId)) {
                        s.later("re-attachment of " + id, () -> {
                            String loop = s.backing.attach(Path.of(v.file), instanceId, device);
                            synchronized (s) {
                                v.loopDevice = loop;
                                s.save();
                            }
                        });
                    }
                }
            }
        }
    }

    private Ec2State.Volume volume(String id) {
        Ec2State.Volume v = s.state.volumes.get(id);
        if (v == null) {
            throw new Ec2ApiException(id.startsWith("vol-") ? "InvalidVolume.NotFound" : "InvalidVolumeID.Malformed",
                    "The volume '" + id + "' does not exist.");
        }
        return v;
    }
}
