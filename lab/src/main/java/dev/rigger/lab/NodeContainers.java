package dev.rigger.lab;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Node containers: making them, remaking them with the same SSH identity, and reading that identity. */
final class NodeContainers {
    private static final String SSH_DIR = "/etc/ssh";
    private static final int DOCKERD_GONE = 99;
    // prints the storage driver once dockerd answers; tells "not yet" (1) from "no dockerd process" (99)
    private static final String DOCKERD_PROBE = "docker info --format '{{.Driver}}' 2>/dev/null && exit 0; "
            + "pgrep -x dockerd >/dev/null || exit " + DOCKERD_GONE + "; exit 1";

    private final LabDocker docker;

    NodeContainers(LabDocker docker) {
        this.docker = docker;
    }

    String createAndStart(NodeSpec spec) {
        String id = docker.createNode(spec);
        docker.start(id);
        return id;
    }

    /**
     * Replaces {@code old} by a container made from {@code spec}. Device mappings are fixed at creation, so a
     * new disk means a new container; it gets the old one's /etc/ssh first, so its host keys stay the same.
     */
    String recreate(InspectContainerResponse old, NodeSpec spec) {
        byte[] sshDir = docker.copyOut(old.getId(), SSH_DIR);
        docker.remove(old.getId());
        String id = docker.createNode(spec);
        docker.copyIn(id, "/etc", sshDir);
        docker.start(id);
        return id;
    }

    /** The host path of the device the container sees as its data disk, or null. */
    static String mappedDisk(InspectContainerResponse container) {
        Device[] devices = container.getHostConfig().getDevices();
        if (devices == null) {
            return null;
        }
        for (Device d : devices) {
            if (NodeSpec.DATA_DISK.equals(d.getPathInContainer())) {
                return d.getPathOnHost();
            }
        }
        return null;
    }

    /** The node's SSH host public keys, "type base64" without comment, ed25519 first; read out of band. */
    List<String> hostKeys(String node, String containerId) {
        LabDocker.ExecResult result = docker.exec(containerId, "sh", "-c",
                "for t in ed25519 ecdsa rsa; do f=" + SSH_DIR + "/ssh_host_${t}_key.pub; if [ -f $f ]; then cat $f; fi; done");
        List<String> keys = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 2 && (fields[0].startsWith("ssh-") || fields[0].startsWith("ecdsa-"))) {
                keys.add(fields[0] + " " + fields[1]);
            }
        }
        if (result.exitCode() != 0 || keys.isEmpty()) {
            throw new LabException(node + ": cannot read its SSH host keys from " + SSH_DIR + "/ssh_host_*_key.pub"
                    + " (exit " + result.exitCode() + ": " + result.stderr().strip() + ")");
        }
        return keys;
    }

    /** Waits until the node's sshd answers, failing early if its container stops. */
    void awaitSsh(String node, String address, String containerId) {
        SshBannerProbe.await(node, address, Lab.SSH_PORT, Lab.SSH_TIMEOUT, () -> running(containerId));
    }

    /**
     * Waits until the dockerd inside the node answers {@code docker info}, failing early if the node stops or
     * dockerd exits; returns its storage driver. Errors carry the end of the node's dockerd log.
     */
    String awaitDockerd(String node, String containerId) {
        long deadline = System.nanoTime() + Lab.DOCKERD_TIMEOUT.toNanos();
        long pause = 100;
        int notRunning = 0;
        while (true) {
            if (!running(containerId)) {
                throw new LabException(node + ": the container stopped before its dockerd answered");
            }
            LabDocker.ExecResult info = docker.exec(containerId, "sh", "-c", DOCKERD_PROBE);
            if (info.exitCode() == 0 && !info.stdout().isBlank()) {
                return info.stdout().strip();
            }
            // twice in a row: the init script may be between starting nohup and nohup starting dockerd
            notRunning = info.exitCode() == DOCKERD_GONE ? notRunning + 1 : 0;
            if (notRunning >= 2) {
                throw new LabException(node + ": dockerd exited instead of answering; end of "
                        + NodeImageRecipe.DOCKERD_LOG + ":\n" + dockerdLogTail(containerId));
            }
            if (System.nanoTime() > deadline) {
                throw new LabException(node + ": dockerd did not answer `docker info` within "
                        + Lab.DOCKERD_TIMEOUT.toSeconds() + " s; end of " + NodeImageRecipe.DOCKERD_LOG + ":\n"
                        + dockerdLogTail(containerId));
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for dockerd on " + node, e);
            }
            pause = Math.min(pause * 2, 1000);
        }
    }

    private String dockerdLogTail(String containerId) {
        LabDocker.ExecResult tail = docker.exec(containerId, "tail", "-n", "15", NodeImageRecipe.DOCKERD_LOG);
        return (tail.stdout() + tail.stderr()).strip();
    }

    /** Whether the node was made to run dockerd (see {@link NodeSpec}): its init steps are not hidden. */
    static boolean runsDockerd(InspectContainerResponse container) {
        Map<String, String> tmpfs = container.getHostConfig().getTmpFs();
        return tmpfs == null || !tmpfs.containsKey(NodeImageRecipe.INIT_STEPS_DIR);
    }

    /** Waits for the services the node runs: sshd, and dockerd unless it was made without. */
    void awaitReady(String node, String address, String containerId, boolean dockerd) {
        awaitSsh(node, address, containerId);
        if (dockerd) {
            awaitDockerd(node, containerId);
        }
    }

    private boolean running(String containerId) {
        return docker.container(containerId).map(c -> Boolean.TRUE.equals(c.getState().getRunning())).orElse(false);
    }
}
