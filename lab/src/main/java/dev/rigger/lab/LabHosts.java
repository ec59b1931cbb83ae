package dev.rigger.lab;

import com.github.dockerjava.api.command.InspectContainerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Single hosts of one lab, made and removed one at a time: the same run flags, labels and network as
 * {@link Lab#up} nodes, on the full or the bare node image ({@link NodeImageKind}), but with the caller's name, hostname, address and authorized key, and no
 * data disk (callers put block devices in later with {@link #makeBlockDevice}). Sparse files on loop devices
 * for such devices live under the lab's disks directory, so {@link Lab#down} releases them too.
 */
public final class LabHosts implements AutoCloseable {
    private final Lab lab;
    private final LabDocker docker;
    // one build per image at a time in this process: two launches that both need a missing image wait for one
    private static final Map<NodeImageKind, Object> BUILD_LOCKS = new EnumMap<>(Map.of(
            NodeImageKind.FULL, new Object(), NodeImageKind.BARE, new Object()));
    private final LoopDevices loops = new LoopDevices();

    LabHosts(Lab lab, LabDocker docker) {
        this.lab = lab;
        this.docker = docker;
    }

    /** The outcome of a command run inside a host. */
    public record ExecResult(long exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Makes the lab's network if missing; returns its IPv4 subnet ("172.30.X.0/24"). Builds no image. */
    public String prepare(Consumer<String> progress) {
        return lab.ensureNetwork(docker, progress);
    }

    /**
     * Builds the node image of {@code kind} if dockerd does not have it (a cold build takes a minute or two,
     * mostly debootstrap's downloads); returns its reference. Builds of one kind in this process wait for each other.
     */
    public String ensureImage(NodeImageKind kind, Consumer<String> progress) {
        DebianMirrorFacts mirror = DebianMirrorFacts.ofThisMachine();
        synchronized (BUILD_LOCKS.get(kind)) {
            return new NodeImageBuilder(docker, progress).ensure(NodeImageRecipe.of(kind, mirror.suite()), mirror);
        }
    }

    /**
     * Creates and starts host {@code node} (container {@code <lab>-<node>}) from {@code image} (see
     * {@link #ensureImage}) with {@code hostname}, the fixed {@code address} on the lab network and
     * {@code authorizedKey} (one OpenSSH public key line, or empty) as root's authorized_keys. Returns the
     * container id. Does not wait for sshd.
     */
    public String start(String node, String hostname, String address, String authorizedKey, String image) {
        Path keyFile = lab.options().labDir().resolve("authorized_keys").resolve(node);
        try {
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, authorizedKey.isBlank() ? "" : authorizedKey.strip() + "\n", StandardCharsets.UTF_8);
            // sshd's StrictModes refuses an authorized_keys file that others may write
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(node + ": cannot write its authorized key file " + keyFile, e);
        }
        NodeSpec spec = lab.hostSpec(node, hostname, address, keyFile, image);
        docker.ensureVolume(spec.dockerVolume(), lab.hostLabels(node));
        docker.container(spec.containerName()).ifPresent(old -> docker.remove(old.getId()));
        String id = docker.createNode(spec);
        docker.start(id);
        return id;
    }

    /** Removes host {@code node}: its container, its docker volume and its key file. Nothing there is fine. */
    public void remove(String node) {
        docker.container(lab.containerName(node)).ifPresent(c -> docker.remove(c.getId()));
        docker.removeVolume(lab.containerName(node) + "-docker");
        try {
            Files.deleteIfExists(lab.options().labDir().resolve("authorized_keys").resolve(node));
        } catch (IOException e) {
            throw new UncheckedIOException(node + ": cannot delete its authorized key file", e);
        }
    }

    /** The container id of host {@code node}, if its container exists. */
    public Optional<String> containerId(String node) {
        return docker.container(lab.containerName(node)).map(InspectContainerResponse::getId);
    }

    /** Starts the existing container of host {@code node} again (after a reboot of this machine, say). */
    public void restart(String node) {
        containerId(node).ifPresent(docker::start);
    }

    public boolean running(String node) {
        return docker.container(lab.containerName(node))
                .map(c -> Boolean.TRUE.equals(c.getState().getRunning())).orElse(false);
    }

    /** One attempt to read an SSH-2.0 banner from {@code address}:22. */
    public static boolean sshAnswers(String address, Duration timeout) {
        return SshBannerProbe.answers(address, Lab.SSH_PORT, timeout);
    }

    /**
     * Waits until host {@code node} answers with an SSH banner on {@code address}:22; gives up after
     * {@code timeout}, or as soon as its container stops or {@code wanted} turns false.
     */
    public void awaitSsh(String node, String address, Duration timeout, BooleanSupplier wanted) {
        SshBannerProbe.await(node, address, Lab.SSH_PORT, timeout, () -> wanted.getAsBoolean() && running(node));
    }

    public ExecResult exec(String node, String... argv) {
        String id = containerId(node).orElseThrow(() -> new LabException(node + ": no container "
                + lab.containerName(node)));
        LabDocker.ExecResult r = docker.exec(id, argv);
        return new ExecResult(r.exitCode(), r.stdout(), r.stderr());
    }

    /** The host's SSH host public keys ("type base64"), read out of band. */
    public List<String> hostKeys(String node) {
        String id = containerId(node).orElseThrow(() -> new LabException(node + ": no container "
                + lab.containerName(node)));
        return new NodeContainers(docker).hostKeys(node, id);
    }

    /** Where a disk file named {@code name} lives: the lab's disks directory, which {@link Lab#down} empties. */
    public Path diskFile(String name) {
        return lab.disksDir().resolve(name + ".img");
    }

    public void createSparse(Path file, long bytes) {
        loops.createSparse(file, bytes);
    }

    /** The loop device backing {@code file}, attaching it to a free one first if none does. */
    public String ensureLoop(Path file) {
        return loops.deviceOf(file).orElseGet(() -> loops.attach(file));
    }

    public Optional<String> loopOf(Path file) {
        return loops.deviceOf(file);
    }

    public void detachLoop(String device) {
        loops.detach(device);
    }

    /**
     * Makes {@code devicePath} inside host {@code node} the block device {@code hostDevice} of this machine
     * (mknod with its major:minor; the node's device cgroup allows every device).
     */
    public void makeBlockDevice(String node, String hostDevice, String devicePath) {
        String numbers;
        try {
            numbers = Files.readString(Path.of("/sys/class/block", Path.of(hostDevice).getFileName().toString(), "dev"))
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the device numbers of " + hostDevice, e);
        }
        String[] mm = numbers.split(":");
        ExecResult r = exec(node, "sh", "-c", "rm -f " + devicePath + " && mknod -m 660 " + devicePath + " b "
                + mm[0] + " " + mm[1] + " && chgrp disk " + devicePath + " 2>/dev/null; test -b " + devicePath);
        if (!r.ok()) {
            throw new LabException(node + ": cannot create " + devicePath + " for " + hostDevice + " (" + numbers
                    + "): " + r.stderr().strip());
        }
    }

    /** Removes {@code devicePath} inside host {@code node}, if the host still runs. */
    public void removeDevice(String node, String devicePath) {
        if (running(node)) {
            exec(node, "rm", "-f", devicePath);
        }
    }

    @Override
    public void close() {
        docker.close();
    }
}
