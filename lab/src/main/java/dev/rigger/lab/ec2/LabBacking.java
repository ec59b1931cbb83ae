package dev.rigger.lab.ec2;

import dev.rigger.lab.Lab;
import dev.rigger.lab.LabException;
import dev.rigger.lab.LabHosts;
import dev.rigger.lab.NodeImageKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What instances and volumes are in the lab: hosts named after instance ids, sparse files on loop devices. */
final class LabBacking implements AutoCloseable {
    static final Duration SSH_TIMEOUT = Duration.ofSeconds(120);
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(LabBacking.class.getName());

    private final LabHosts hosts;

    LabBacking(Lab lab) {
        this.hosts = lab.hosts();
    }

    /** The lab network; returns its /24, which is also the default VPC's and subnet's. Node images come later. */
    String prepare() {
        return hosts.prepare(line -> { });
    }

    /** Starts the host on the node image of {@code kind}, building that image first if dockerd lacks it. */
    String start(String instanceId, String hostname, String address, String publicKey, NodeImageKind kind) {
        String image = hosts.ensureImage(kind, line -> LOG.info("EC2 emulator: " + line));
        return hosts.start(instanceId, hostname, address, publicKey == null ? "" : publicKey, image);
    }

    /** Starts the host again if its container exists but stopped; true if it was stopped. */
    boolean restartIfStopped(String instanceId) {
        if (exists(instanceId) && !hosts.running(instanceId)) {
            hosts.restart(instanceId);
            return true;
        }
        return false;
    }

    boolean exists(String instanceId) {
        return hosts.containerId(instanceId).isPresent();
    }

    /** Waits until sshd answers on {@code address} and at least {@code minimumMillis} passed since {@code started}. */
    void awaitSsh(String instanceId, String address, long startedNanos, long minimumMillis, BooleanSupplier wanted) {
        long left = minimumMillis - (System.nanoTime() - startedNanos) / 1_000_000;
        if (left > 0) {
            sleep(left);
        }
        hosts.awaitSsh(instanceId, address, SSH_TIMEOUT, wanted);
    }

    /** The host's public keys as written in its .pub files ("type base64 root@host") and their fingerprints. */
    HostKeys hostKeys(String instanceId) {
        LabHosts.ExecResult keys = hosts.exec(instanceId, "sh", "-c",
                "for t in ecdsa ed25519 rsa; do f=/etc/ssh/ssh_host_${t}_key.pub; [ -f $f ] && cat $f; done; true");
        LabHosts.ExecResult prints = hosts.exec(instanceId, "sh", "-c",
                "for t in ecdsa ed25519 rsa; do f=/etc/ssh/ssh_host_${t}_key.pub; [ -f $f ] && ssh-keygen -l -f $f; done; true");
        List<String> keyLines = lines(keys.stdout());
        List<String> printLines = lines(prints.stdout());
        if (keyLines.isEmpty() || printLines.isEmpty()) {
            throw new LabException(instanceId + ": cannot read its SSH host keys and fingerprints from /etc/ssh ("
                    + keys.stderr().strip() + " " + prints.stderr().strip() + ")");
        }
        return new HostKeys(keyLines, printLines);
    }

    record HostKeys(List<String> keys, List<String> fingerprints) {
    }

    void remove(String instanceId) {
        hosts.remove(instanceId);
    }

    Path volumeFile(String volumeId) {
        return hosts.diskFile(volumeId);
    }

    void createVolumeFile(Path file, long bytes) {
        hosts.createSparse(file, bytes);
    }

    /** Puts the volume's file on a loop device and that device into the instance at {@code device}. */
    String attach(Path file, String instanceId, String device) {
        String loop = hosts.ensureLoop(file);
        hosts.makeBlockDevice(instanceId, loop, device);
        return loop;
    }

    /** Takes the device node out of the instance (if it still runs) and releases the loop device. */
    void detach(Path file, String instanceId, String device) {
        if (instanceId != null && device != null && exists(instanceId)) {
            hosts.removeDevice(instanceId, device);
        }
        hosts.loopOf(file).ifPresent(hosts::detachLoop);
    }

    void deleteVolumeFile(Path file) {
        hosts.loopOf(file).ifPresent(hosts::detachLoop);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the volume file " + file, e);
        }
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    @Override
    public void close() {
        hosts.close();
    }
}
