package dev.rigger.lab;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.rigger.lab.ecs.EcsSimulatorImage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Local hosts as Docker containers, the way kind makes Kubernetes nodes: each node has its own hostname,
 * address on a private network, sshd with the lab's key, and a data disk (a sparse file on a loop device)
 * at /dev/xvdf. Every Docker object carries the labels {@code dev.rigger.lab=<name>} and
 * {@code dev.rigger.lab.node=<node>}; every file lies under {@code <stateRoot>/<name>}.
 */
public final class Lab {
    static final Duration SSH_TIMEOUT = Duration.ofSeconds(90);
    static final Duration DOCKERD_TIMEOUT = Duration.ofSeconds(60);
    static final String USER = "root";
    static final int SSH_PORT = 22;
    private static final int FIRST_HOST = 11;

    private final LabOptions options;
    private final Path labDir;
    private final LabStateStore store;
    private final LoopDevices loops = new LoopDevices();

    private Lab(LabOptions options) {
        this.options = options;
        this.labDir = options.labDir();
        this.store = new LabStateStore(labDir, options.name());
    }

    public static Lab of(LabOptions options) {
        return new Lab(Objects.requireNonNull(options, "options"));
    }

    public LabOptions options() {
        return options;
    }

    /** The node image reference the current recipe makes ({@code rigger-lab-node:<recipe hash>}). */
    public static String nodeImage() {
        return nodeImage(NodeImageKind.FULL);
    }

    /** The image reference the current recipe of {@code kind} makes ({@code <repository>:<recipe hash>}). */
    public static String nodeImage(NodeImageKind kind) {
        return NodeImageRecipe.of(kind, DebianMirrorFacts.ofThisMachine().suite()).image();
    }

    /**
     * Makes what is missing (node image, ECS simulator image, key, network, disks, containers) and keeps the
     * nodes that exist (a node made from an older node image is remade on the current one, with its disk and
     * host keys), waits until every node's sshd (and dockerd, unless {@code options.docker()} is false) answers, then writes inventory.json and
     * known_hosts. Nodes beyond {@code options.nodes()} that exist already are kept and listed too.
     */
    public LabInventory up(Consumer<String> progress) {
        Objects.requireNonNull(progress, "progress");
        prepareLabDir();
        DebianMirrorFacts mirror = DebianMirrorFacts.ofThisMachine();
        try (LabDocker docker = LabDocker.connect()) {
            String image = new NodeImageBuilder(docker, progress).ensure(NodeImageRecipe.standard(mirror.suite()), mirror);
            if (options.docker()) {
                // the image the lab's ECS playbooks ship to the nodes' dockerd in place of the real ECS image
                EcsSimulatorImage.ensure(progress);
            }
            Path identity = LabKeys.ensure(labDir, options.name());
            LabState state = ensureNetwork(docker, store.load(), progress);
            NodeContainers containers = new NodeContainers(docker);
            List<String> nodes = nodeNames(docker);
            for (String node : nodes) {
                state = ensureNode(docker, containers, state, node, image, progress);
            }
            List<LabNode> labNodes = new ArrayList<>();
            for (String node : nodes) {
                LabState.NodeState ns = state.nodes().get(node);
                containers.awaitSsh(node, ns.address(), ns.containerId());
                String services = options.docker()
                        ? ", dockerd (" + containers.awaitDockerd(node, ns.containerId()) + ") answers" : " (no dockerd)";
                labNodes.add(new LabNode(node, node, ns.address(), SSH_PORT, USER,
                        containers.hostKeys(node, ns.containerId()), ns.containerId(), ns.loopDevice(),
                        Path.of(ns.diskFile())));
                progress.accept(node + ": sshd answers on " + ns.address() + ":" + SSH_PORT + services);
            }
            LabInventory inventory = new LabInventory(options.name(), identity,
                    labDir.resolve(LabInventory.KNOWN_HOSTS), labNodes);
            inventory.writeTo(labDir);
            progress.accept("lab '" + options.name() + "' is up: " + labNodes.size() + " nodes, inventory "
                    + labDir.resolve(LabInventory.FILE));
            return inventory;
        }
    }

    /**
     * Removes everything the lab made: containers, network, volumes (found by label), loop devices (from the
     * state file and from every loop device whose backing file lies under the lab's disks directory), the
     * disk files, key, known_hosts and the lab's state directory. Does nothing harmful when nothing exists.
     */
    public void down(Consumer<String> progress) {
        Objects.requireNonNull(progress, "progress");
        LabState state = store.load();
        try (LabDocker docker = LabDocker.connect()) {
            for (Container container : docker.containersLabelled(options.name())) {
                docker.remove(container.getId());
                progress.accept("removed container " + String.join(",", container.getNames()).replace("/", ""));
            }
            for (Network network : docker.networksLabelled(options.name())) {
                docker.removeNetwork(network.getId());
                progress.accept("removed network " + network.getName());
            }
            for (String volume : docker.volumesLabelled(options.name())) {
                docker.removeVolume(volume);
                progress.accept("removed volume " + volume);
            }
        }
        Set<String> devices = new TreeSet<>();
        for (LabState.NodeState ns : state.nodes().values()) {
            // only if the kernel still ties that device to our file: the number may have been reused
            if (ns.diskFile() != null) {
                loops.deviceOf(Path.of(ns.diskFile())).ifPresent(devices::add);
            }
        }
        loops.under(disksDir()).forEach(a -> devices.add(a.device()));
        for (String device : devices) {
            loops.detach(device);
            progress.accept("detached " + device);
        }
        deleteTree(labDir);
        deleteIfEmpty(options.stateRoot().toAbsolutePath().normalize());
        progress.accept("lab '" + options.name() + "' is down");
    }

    /** What exists of the lab right now, node by node. */
    public LabStatus status() {
        LabState state = store.load();
        String image = nodeImage();
        try (LabDocker docker = LabDocker.connect()) {
            Optional<Network> network = docker.network(networkName());
            String subnet = network.map(Lab::subnetOf).orElse(null);
            Map<String, Container> containers = new LinkedHashMap<>();
            for (Container c : docker.containersLabelled(options.name())) {
                String node = c.getLabels() == null ? null : c.getLabels().get(LabDocker.NODE_LABEL);
                if (node != null) {
                    containers.put(node, c);
                }
            }
            Set<String> names = new TreeSet<>(Comparator.comparingInt(Lab::index).thenComparing(n -> n));
            names.addAll(state.nodes().keySet());
            names.addAll(containers.keySet());
            List<LabNodeStatus> nodes = new ArrayList<>();
            for (String node : names) {
                Container c = containers.get(node);
                LabState.NodeState ns = state.nodes().get(node);
                String address = ns != null ? ns.address()
                        : subnet == null || index(node) == Integer.MAX_VALUE ? null : addressOf(subnet, node);
                Path disk = diskFile(node);
                String containerState = c == null ? "missing" : c.getState();
                boolean ssh = "running".equals(containerState) && address != null
                        && SshBannerProbe.answers(address, SSH_PORT, Duration.ofSeconds(1));
                nodes.add(new LabNodeStatus(node, containerState, c == null ? null : c.getId(), address,
                        loops.deviceOf(disk).orElse(null), disk, Files.exists(disk), ssh));
            }
            return new LabStatus(options.name(), network.map(Network::getName).orElse(null), subnet, image,
                    docker.imageExists(image), nodes);
        }
    }

    /**
     * Gives {@code node} a new blank data disk: the old loop device is detached and its file deleted, a new
     * sparse file goes on a new loop device, and the container is recreated with it. The node keeps its
     * address and SSH host keys, as a real host keeps them when a volume is swapped.
     */
    public void replaceDisk(String node) {
        try (LabDocker docker = LabDocker.connect()) {
            NodeContainers containers = new NodeContainers(docker);
            InspectContainerResponse old = existingNode(docker, node);
            LabState state = store.load();
            LabState.NodeState ns = nodeState(state, node);
            Path disk = diskFile(node);
            // stop the node before its loop device goes; devices are fixed at creation, so it is recreated below
            docker.stop(old.getId());
            loops.deviceOf(disk).ifPresent(loops::detach);
            try {
                Files.deleteIfExists(disk);
            } catch (IOException e) {
                throw new UncheckedIOException(node + ": cannot delete the old disk file " + disk, e);
            }
            loops.createSparse(disk, options.diskBytes());
            ns = new LabState.NodeState(loops.attach(disk), disk.toString(), ns.containerId(), ns.address());
            store.save(state = state.withNode(node, ns));
            boolean dockerd = NodeContainers.runsDockerd(old);
            String id = containers.recreate(old, spec(node, old.getConfig().getImage(), ns, dockerd));
            store.save(state.withNode(node, ns.withContainerId(id)));
            containers.awaitReady(node, ns.address(), id, dockerd);
        }
    }

    /** Stops the node's container (the host becomes unreachable); its disk and state stay. */
    public void stopNode(String node) {
        try (LabDocker docker = LabDocker.connect()) {
            docker.stop(existingNode(docker, node).getId());
        }
    }

    /** Starts a stopped node again and waits until its sshd answers. */
    public void startNode(String node) {
        try (LabDocker docker = LabDocker.connect()) {
            InspectContainerResponse container = existingNode(docker, node);
            docker.start(container.getId());
            new NodeContainers(docker).awaitReady(node, nodeState(store.load(), node).address(), container.getId(),
                    NodeContainers.runsDockerd(container));
        }
    }

    /**
     * Single hosts made one at a time in this lab's network, for callers that manage hosts themselves (the EC2
     * emulator's instances). The caller closes it.
     */
    public LabHosts hosts() {
        return new LabHosts(this, LabDocker.connect());
    }

    /** Makes the lab directory and network if missing; returns the network's IPv4 subnet. */
    String ensureNetwork(LabDocker docker, Consumer<String> progress) {
        prepareLabDir();
        return ensureNetwork(docker, store.load(), progress).subnet();
    }

    NodeSpec hostSpec(String node, String hostname, String address, Path authorizedKeys, String image) {
        return new NodeSpec(containerName(node), hostname, image, networkName(), address, null,
                containerName(node) + "-docker", authorizedKeys, labels(node));
    }

    Map<String, String> hostLabels(String node) {
        return labels(node);
    }

    private LabState ensureNetwork(LabDocker docker, LabState state, Consumer<String> progress) {
        String name = networkName();
        Optional<Network> existing = docker.network(name);
        String subnet;
        if (existing.isPresent()) {
            subnet = subnetOf(existing.get());
            if (subnet == null) {
                throw new LabException("docker network " + name + " exists but has no IPv4 subnet: remove it"
                        + " (`rigger lab down`) and try again");
            }
        } else {
            subnet = SubnetChooser.choose(docker.subnetsInUse());
            docker.createNetwork(name, subnet, SubnetChooser.prefix(subnet) + "1", Map.of(LabDocker.LAB_LABEL, options.name()));
            progress.accept("created network " + name + " " + subnet);
        }
        LabState updated = state.withNetwork(name, subnet);
        store.save(updated);
        return updated;
    }

    private LabState ensureNode(LabDocker docker, NodeContainers containers, LabState state, String node, String image,
                                Consumer<String> progress) {
        String address = addressOf(state.subnet(), node);
        if (options.docker()) {
            docker.ensureVolume(containerName(node) + "-docker", labels(node));
        }
        Path disk = diskFile(node);
        loops.createSparse(disk, options.diskBytes());
        String loop = loops.deviceOf(disk).orElse(null);
        if (loop == null) {
            loop = loops.attach(disk);
            progress.accept(node + ": disk " + disk.getFileName() + " on " + loop);
        }
        LabState.NodeState previous = state.nodes().get(node);
        LabState.NodeState ns = new LabState.NodeState(loop, disk.toString(),
                previous == null ? null : previous.containerId(), address);
        // recorded before the container exists, so that down finds the loop device after a crash
        state = state.withNode(node, ns);
        store.save(state);

        Optional<InspectContainerResponse> existing = docker.container(containerName(node));
        String id;
        if (existing.isEmpty()) {
            id = containers.createAndStart(spec(node, image, ns));
            progress.accept(node + ": started container " + containerName(node) + " at " + address);
        } else if (!loop.equals(NodeContainers.mappedDisk(existing.get()))) {
            // the loop device it was created with is gone (host reboot, manual losetup -d)
            id = containers.recreate(existing.get(), spec(node, image, ns));
            progress.accept(node + ": recreated container on its disk's new loop device " + loop);
        } else if (options.docker() != NodeContainers.runsDockerd(existing.get())) {
            // asked for with(out) dockerd this time: same disk and host keys, the other set of services
            id = containers.recreate(existing.get(), spec(node, image, ns));
            progress.accept(node + ": recreated container " + (options.docker() ? "with" : "without") + " dockerd");
        } else if (!image.equals(existing.get().getConfig().getImage())) {
            // made by an older recipe (without dockerd, say): same disk and host keys, new image
            id = containers.recreate(existing.get(), spec(node, image, ns));
            progress.accept(node + ": recreated container on the node image " + image);
        } else {
            id = existing.get().getId();
            if (!Boolean.TRUE.equals(existing.get().getState().getRunning())) {
                docker.start(id);
                progress.accept(node + ": started existing container");
            } else {
                progress.accept(node + ": running");
            }
        }
        state = state.withNode(node, ns.withContainerId(id));
        store.save(state);
        return state;
    }

    private NodeSpec spec(String node, String image, LabState.NodeState ns) {
        return spec(node, image, ns, options.docker());
    }

    private NodeSpec spec(String node, String image, LabState.NodeState ns, boolean dockerd) {
        return new NodeSpec(containerName(node), node, image, networkName(), ns.address(), ns.loopDevice(),
                dockerd ? containerName(node) + "-docker" : null, LabKeys.publicKey(labDir.resolve(LabKeys.IDENTITY)),
                labels(node));
    }

    /** node1..nodeN plus any further node of this lab that exists already. */
    private List<String> nodeNames(LabDocker docker) {
        Set<String> names = new TreeSet<>(Comparator.comparingInt(Lab::index).thenComparing(n -> n));
        for (int i = 1; i <= options.nodes(); i++) {
            names.add("node" + i);
        }
        for (Container c : docker.containersLabelled(options.name())) {
            String node = c.getLabels() == null ? null : c.getLabels().get(LabDocker.NODE_LABEL);
            if (node != null && node.matches("node\\d+")) {
                names.add(node);
            }
        }
        return List.copyOf(names);
    }

    private InspectContainerResponse existingNode(LabDocker docker, String node) {
        return docker.container(containerName(node))
                .filter(c -> c.getConfig().getLabels() != null
                        && options.name().equals(c.getConfig().getLabels().get(LabDocker.LAB_LABEL)))
                .orElseThrow(() -> new LabException("lab '" + options.name() + "' has no node '" + node
                        + "' (no container " + containerName(node) + ")"));
    }

    private LabState.NodeState nodeState(LabState state, String node) {
        LabState.NodeState ns = state.nodes().get(node);
        if (ns == null || ns.address() == null) {
            throw new LabException("lab '" + options.name() + "': node '" + node + "' is missing from "
                    + labDir.resolve(LabStateStore.FILE) + "; run up again");
        }
        return ns;
    }

    private static String subnetOf(Network network) {
        if (network.getIpam() == null || network.getIpam().getConfig() == null) {
            return null;
        }
        return network.getIpam().getConfig().stream().map(Network.Ipam.Config::getSubnet)
                .filter(s -> s != null && s.contains(".")).findFirst().orElse(null);
    }

    private static String addressOf(String subnet, String node) {
        return SubnetChooser.prefix(subnet) + (FIRST_HOST - 1 + index(node));
    }

    private static int index(String node) {
        String digits = node.replaceAll("\\D", "");
        // hosts named otherwise (an EC2 instance id) sort after the numbered nodes
        return digits.isEmpty() || digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    private Map<String, String> labels(String node) {
        return Map.of(LabDocker.LAB_LABEL, options.name(), LabDocker.NODE_LABEL, node);
    }

    String containerName(String node) {
        return options.name() + "-" + node;
    }

    String networkName() {
        return options.name() + "-net";
    }

    Path disksDir() {
        return labDir.resolve("disks");
    }

    Path diskFile(String node) {
        return disksDir().resolve(node + ".img");
    }

    private void prepareLabDir() {
        try {
            Files.createDirectories(labDir);
            Files.setPosixFilePermissions(labDir, PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(disksDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lab directory " + labDir, e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the lab directory " + dir, e);
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try (Stream<Path> entries = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            if (Files.isDirectory(dir) && entries.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // another lab or a concurrent up uses the state root: leave it
        }
    }
}
