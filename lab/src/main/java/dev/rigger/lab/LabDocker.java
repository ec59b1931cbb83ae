package dev.rigger.lab;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The local dockerd, as far as the lab uses it: one connection per lab operation. */
final class LabDocker implements AutoCloseable {
    static final String LAB_LABEL = "dev.rigger.lab";
    static final String NODE_LABEL = "dev.rigger.lab.node";
    private final LocalDockerConnection connection;
    private final DockerClient client;

    private LabDocker(LocalDockerConnection connection) {
        this.connection = connection;
        this.client = connection.client();
    }

    /** Connects to $DOCKER_HOST or the default socket and checks that dockerd answers. */
    static LabDocker connect() {
        return new LabDocker(LocalDockerConnection.connect());
    }

    String host() {
        return connection.host();
    }

    LocalDockerConnection connection() {
        return connection;
    }

    boolean imageExists(String reference) {
        try {
            client.inspectImageCmd(reference).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    Optional<Network> network(String name) {
        return client.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> n.getName().equals(name)).findFirst();
    }

    /** Every IPv4 subnet some docker network already uses. */
    List<String> subnetsInUse() {
        List<String> subnets = new ArrayList<>();
        for (Network network : client.listNetworksCmd().exec()) {
            if (network.getIpam() != null && network.getIpam().getConfig() != null) {
                network.getIpam().getConfig().stream().map(Network.Ipam.Config::getSubnet)
                        .filter(s -> s != null && s.contains(".")).forEach(subnets::add);
            }
        }
        return subnets;
    }

    void createNetwork(String name, String subnet, String gateway, Map<String, String> labels) {
        client.createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true)
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet).withGateway(gateway)))
                .withLabels(labels).exec();
    }

    List<Network> networksLabelled(String lab) {
        return client.listNetworksCmd().withFilter("label", List.of(LAB_LABEL + "=" + lab)).exec();
    }

    void removeNetwork(String id) {
        try {
            client.removeNetworkCmd(id).exec();
        } catch (NotFoundException e) {
            // already gone: that is what was wanted
        }
    }

    void ensureVolume(String name, Map<String, String> labels) {
        try {
            client.inspectVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            client.createVolumeCmd().withName(name).withLabels(labels).exec();
        }
    }

    List<String> volumesLabelled(String lab) {
        var volumes = client.listVolumesCmd().withFilter("label", List.of(LAB_LABEL + "=" + lab)).exec().getVolumes();
        return volumes == null ? List.of() : volumes.stream().map(v -> v.getName()).toList();
    }

    void removeVolume(String name) {
        try {
            client.removeVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    Optional<InspectContainerResponse> container(String nameOrId) {
        try {
            return Optional.of(client.inspectContainerCmd(nameOrId).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    List<Container> containersLabelled(String lab) {
        return client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LAB_LABEL, lab)).exec();
    }

    /** Creates a node container with the rights a host needs (DESIGN: --privileged fails on this kernel). */
    String createNode(NodeSpec spec) {
        HostConfig hostConfig = HostConfig.newHostConfig()
                .withNetworkMode(spec.network())
                .withCapAdd(Capability.ALL)
                .withCapDrop(Capability.SYS_RESOURCE)
                .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                // all devices, not only "b" and "c": a privileged container inside the node (ECS) asks its
                // device cgroup for "a *:* rwm", which a child cgroup only gets when its parent has it
                .withDeviceCgroupRules(List.of("a *:* rwm"))
                .withTmpFs(spec.runsDockerd() ? Map.of("/run", "rw,nosuid,nodev,mode=755")
                        // an empty directory over the init steps: the node's init then starts sshd alone
                        : Map.of("/run", "rw,nosuid,nodev,mode=755", NodeImageRecipe.INIT_STEPS_DIR, "ro,mode=755"))
                .withCgroupnsMode("host")
                .withMounts(spec.runsDockerd()
                        ? List.of(new Mount().withType(MountType.VOLUME).withSource(spec.dockerVolume())
                                .withTarget("/var/lib/docker"))
                        : List.of())
                .withBinds(new Bind(spec.authorizedKeys().toString(), new Volume("/root/.ssh/authorized_keys"),
                        com.github.dockerjava.api.model.AccessMode.ro));
        if (spec.loopDevice() != null) {
            hostConfig.withDevices(new Device("rwm", NodeSpec.DATA_DISK, spec.loopDevice()));
        }
        return client.createContainerCmd(spec.image())
                .withName(spec.containerName())
                .withHostName(spec.hostname())
                .withLabels(spec.labels())
                .withIpv4Address(spec.address())
                // peers find each other by hostname through Docker's DNS, as cloud hosts do through theirs
                .withAliases(spec.hostname())
                .withHostConfig(hostConfig)
                .exec().getId();
    }

    void start(String id) {
        try {
            client.startContainerCmd(id).exec();
        } catch (NotModifiedException e) {
            // already running
        }
    }

    void stop(String id) {
        try {
            client.stopContainerCmd(id).withTimeout(5).exec();
        } catch (NotModifiedException e) {
            // already stopped
        }
    }

    void remove(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    /** The outcome of a command run inside a container. */
    record ExecResult(long exitCode, String stdout, String stderr) {
    }

    ExecResult exec(String containerId, String... argv) {
        String execId = client.execCreateCmd(containerId).withAttachStdout(true).withAttachStderr(true)
                .withCmd(argv).exec().getId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ResultCallback.Adapter<Frame> callback = client.execStartCmd(execId).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
            }
        })) {
            if (!callback.awaitCompletion(2, TimeUnit.MINUTES)) {
                throw new LabException("`" + String.join(" ", argv) + "` in container " + containerId
                        + " did not finish within 2 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running `" + String.join(" ", argv) + "` in " + containerId, e);
        } catch (IOException e) {
            throw new LabException("exec in container " + containerId + " failed: " + e.getMessage(), e);
        }
        Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
        return new ExecResult(code == null ? -1 : code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** A tar of {@code path} in the container (which may be stopped). */
    byte[] copyOut(String containerId, String path) {
        try (InputStream in = client.copyArchiveFromContainerCmd(containerId, path).exec()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new LabException("cannot copy " + path + " out of container " + containerId + ": " + e.getMessage(), e);
        }
    }

    /** Unpacks {@code tar} into {@code dir} of a (created, maybe not started) container. */
    void copyIn(String containerId, String dir, byte[] tar) {
        client.copyArchiveToContainerCmd(containerId).withRemotePath(dir)
                .withTarInputStream(new java.io.ByteArrayInputStream(tar)).exec();
    }

    @Override
    public void close() {
        connection.close();
    }
}
