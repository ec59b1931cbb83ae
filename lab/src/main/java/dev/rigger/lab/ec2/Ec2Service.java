package dev.rigger.lab.ec2;

import dev.rigger.lab.Lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The emulator's core: state, faults and the lab behind them, and the dispatch of each action to its handler.
 * Handlers run under this object's lock and only record what is asked; the slow lab work (starting hosts,
 * loop devices) runs in the background and takes the lock again to record its outcome.
 */
final class Ec2Service implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Ec2Service.class.getName());

    final Ec2EmulatorOptions options;
    final Ec2Faults faults = new Ec2Faults();
    final LabBacking backing;
    final String subnetCidr;
    final String vpcId;
    final String subnetId;
    private final Ec2StateStore store;
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ec2-emulator-lab");
        t.setDaemon(true);
        return t;
    });
    Ec2State state;
    private volatile boolean closing;

    private final AccessActions access = new AccessActions(this);
    private final InstanceActions instances = new InstanceActions(this);
    private final VolumeActions volumes = new VolumeActions(this);
    private final CatalogActions catalog = new CatalogActions(this);

    Ec2Service(Ec2EmulatorOptions options) {
        this.options = options;
        this.store = new Ec2StateStore(options.stateFile());
        this.backing = new LabBacking(Lab.of(options.labOptions()));
        this.subnetCidr = backing.prepare();
        this.vpcId = "vpc-0" + digest("vpc " + options.labName());
        this.subnetId = "subnet-0" + digest("subnet " + options.labName());
        synchronized (this) {
            this.state = store.load();
            instances.resume();
            volumes.resume();
        }
    }

    String availabilityZone() {
        return options.region() + "a";
    }

    /** Answers one API call (XML body), or throws the EC2 error it gets. */
    synchronized String handle(QueryRequest request) {
        if (faults.throttleThisCall()) {
            throw new Ec2ApiException("RequestLimitExceeded", "Request limit exceeded.", 503);
        }
        String action = request.action();
        if (action.isEmpty()) {
            throw Ec2ApiException.missing("Action");
        }
        return switch (action) {
            case "DescribeImages" -> catalog.describeImages(request);
            case "DescribeAvailabilityZones" -> catalog.describeAvailabilityZones(request);
            case "DescribeVpcs" -> catalog.describeVpcs(request);
            case "DescribeSubnets" -> catalog.describeSubnets(request);
            case "CreateTags" -> catalog.createTags(request);
            case "ImportKeyPair" -> access.importKeyPair(request);
            case "DescribeKeyPairs" -> access.describeKeyPairs(request);
            case "DeleteKeyPair" -> access.deleteKeyPair(request);
            case "CreateSecurityGroup" -> access.createSecurityGroup(request);
            case "AuthorizeSecurityGroupIngress" -> access.authorizeIngress(request);
            case "DescribeSecurityGroups" -> access.describeSecurityGroups(request);
            case "DeleteSecurityGroup" -> access.deleteSecurityGroup(request);
            case "RunInstances" -> instances.run(request);
            case "DescribeInstances" -> instances.describe(request);
            case "TerminateInstances" -> instances.terminate(request);
            case "GetConsoleOutput" -> instances.consoleOutput(request);
            case "CreateVolume" -> volumes.create(request);
            case "DescribeVolumes" -> volumes.describe(request);
            case "AttachVolume" -> volumes.attach(request);
            case "DetachVolume" -> volumes.detach(request);
            case "DeleteVolume" -> volumes.delete(request);
            default -> throw new Ec2ApiException("InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    /** Writes the state file; called under the lock after every change. */
    void save() {
        store.save(state);
    }

    /** Runs lab work in the background; a failure is logged, the task itself records outcomes in the state. */
    void later(String what, Runnable task) {
        background.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "EC2 emulator: " + what + " failed: " + e.getMessage());
            }
        });
    }

    /** Terminates every instance and deletes every volume, key pair and security group, synchronously. */
    synchronized void deleteEverything() {
        for (Ec2State.Volume v : state.volumes.values()) {
            if (v.file != null) {
                backing.deleteVolumeFile(java.nio.file.Path.of(v.file));
            }
        }
        for (Ec2State.Instance i : state.instances.values()) {
            backing.remove(i.instanceId);
        }
        state = new Ec2State();
        save();
    }

    synchronized String stateJson() {
        try {
            return Ec2StateStore.JSON.writeValueAsString(state);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the EC2 state", e);
        }
    }

    static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True once close began: interrupted background work then leaves its state for the next start to resume. */
    boolean closing() {
        return closing;
    }

    @Override
    public void close() {
        closing = true;
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backing.close();
    }
}
