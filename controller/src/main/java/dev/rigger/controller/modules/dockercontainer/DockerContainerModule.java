package dev.rigger.controller.modules.dockercontainer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerPlan;
import dev.rigger.controller.modules.ControllerStep;
import dev.rigger.controller.modules.dockercontainer.ContainerArgs.State;
import dev.rigger.protocol.Diff;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code docker_container}: a container on the host's dockerd (reached through the host's SSH session) with
 * the given image and settings. The hash of the wanted settings is kept in the label {@value
 * ContainerArgs#CONFIG_LABEL}; a container whose hash or image differs is removed and made anew, one that is
 * merely stopped is started.
 *
 * <pre>{@code {"module": "docker_container", "args": {"name": "ecs-storageos", "image": "rigger/ecs-sim:1",
 *   "networkMode": "host", "privileged": true, "env": {"SS_GENCONFIG": "1"},
 *   "binds": ["/ecs:/dae:z", "/host:/host:z", "/data:/data:z"], "devices": ["/dev/urandom:/dev/random"],
 *   "restartPolicy": "no", "stopTimeoutSec": 300, "checkRunningSec": 5}}}</pre>
 *
 * Arguments: {@code name}, {@code image} (both required; image not for absent), {@code env}, {@code networkMode},
 * {@code privileged}, {@code binds}, {@code devices}, {@code restartPolicy}, {@code stopTimeoutSec},
 * {@code command}, {@code entrypoint}, {@code labels}, {@code state} started | present | stopped | absent
 * (default started), {@code checkRunningSec} (after a start, the container must still run this much later).
 * Data: {@code name}, {@code id}, {@code image}, {@code state}.
 */
public final class DockerContainerModule implements ControllerModule {

    @Override
    public ControllerPlan plan(ObjectNode args, ControllerModuleContext context) throws Exception {
        ContainerArgs wanted = ContainerArgs.parse(args);
        DockerClient docker = docker(context);
        Optional<InspectContainerResponse> current = inspectContainer(docker, wanted.name());
        String where = wanted.name() + " on " + context.host();
        if (wanted.state() == State.ABSENT) {
            if (current.isEmpty()) {
                return ControllerPlan.noop(where + " does not exist", data(wanted, null, "absent"));
            }
            InspectContainerResponse existing = current.get();
            return new ControllerPlan(List.of(remove(existing, wanted.stopTimeoutSec(), context)), "remove " + where,
                    new Diff(status(existing), "absent"), data(wanted, existing.getId(), "absent"), null);
        }
        Optional<InspectImageResponse> image = inspectImage(docker, wanted.image());
        if (image.isEmpty() && !context.check()) {
            throw new IllegalStateException("image " + wanted.image() + " is not on " + context.host()
                    + ": make it present with docker_image first");
        }
        String imageId = image.map(InspectImageResponse::getId).orElse(null);
        String hash = wanted.hash();
        List<ControllerStep> steps = new ArrayList<>();
        if (current.isEmpty()) {
            steps.add(create(wanted, hash, context));
            if (wanted.state() == State.STARTED) {
                steps.add(start(wanted, context));
            }
            return changed(wanted, steps, "create " + where,
                    new Diff("absent", ContainerView.text(wanted.config())));
        }
        InspectContainerResponse existing = current.get();
        String existingHash = existing.getConfig().getLabels() == null ? null
                : existing.getConfig().getLabels().get(ContainerArgs.CONFIG_LABEL);
        boolean sameImage = imageId != null && imageId.equals(existing.getImageId());
        if (!hash.equals(existingHash) || !sameImage) {
            steps.add(remove(existing, null, context));
            steps.add(create(wanted, hash, context));
            if (wanted.state() == State.STARTED) {
                steps.add(start(wanted, context));
            }
            String why = !hash.equals(existingHash) ? "its configuration differs" : "its image changed";
            Map<String, Object> before = ContainerView.of(existing, image.orElse(null), wanted.config().keySet());
            Map<String, Object> after = new LinkedHashMap<>(wanted.config());
            if (!sameImage) {
                before.put("imageId", existing.getImageId());
                after.put("imageId", imageId == null ? ControllerPlan.KNOWN_AFTER_APPLY : imageId);
            }
            return changed(wanted, steps, "recreate " + where + " because " + why,
                    new Diff(ContainerView.text(before), ContainerView.text(after)));
        }
        boolean running = Boolean.TRUE.equals(existing.getState().getRunning());
        if (wanted.state() == State.STARTED && !running) {
            return changed(wanted, List.of(start(wanted, context)), "start " + where,
                    new Diff(status(existing), "running"));
        }
        if (wanted.state() == State.STOPPED && running) {
            ControllerStep stop = ControllerStep.of("stop " + where, c -> stop(docker(c), existing.getId(), null));
            return changed(wanted, List.of(stop), "stop " + where, new Diff("running", "exited"));
        }
        return ControllerPlan.noop(where + " is " + existing.getState().getStatus() + " with the wanted configuration",
                data(wanted, existing.getId(), existing.getState().getStatus()));
    }

    private static ControllerPlan changed(ContainerArgs wanted, List<ControllerStep> steps, String msg, Diff diff) {
        return new ControllerPlan(steps, msg, diff, data(wanted, ControllerPlan.KNOWN_AFTER_APPLY,
                ControllerPlan.KNOWN_AFTER_APPLY), null)
                .withDataAfterApply(c -> {
                    InspectContainerResponse made = inspectContainer(docker(c), wanted.name()).orElseThrow(() ->
                            new IOException("container " + wanted.name() + " on " + c.host() + " is gone"));
                    return data(wanted, made.getId(), made.getState().getStatus());
                });
    }

    private static ControllerStep create(ContainerArgs wanted, String hash, ControllerModuleContext context) {
        return ControllerStep.of("create " + wanted.name() + " from " + wanted.image() + " on " + context.host(), c -> {
            HostConfig host = HostConfig.newHostConfig().withPrivileged(wanted.privileged())
                    .withBinds(wanted.binds().stream().map(Bind::parse).toList())
                    .withDevices(ContainerView.devices(wanted.devices()));
            if (wanted.networkMode() != null) {
                host.withNetworkMode(wanted.networkMode());
            }
            if (wanted.restartPolicy() != null) {
                host.withRestartPolicy(RestartPolicy.parse(wanted.restartPolicy()));
            }
            Map<String, String> labels = new TreeMap<>(wanted.labels());
            labels.put(ContainerArgs.CONFIG_LABEL, hash);
            CreateContainerCmd create = docker(c).createContainerCmd(wanted.image()).withName(wanted.name())
                    .withEnv(wanted.envList()).withLabels(labels).withHostConfig(host)
                    .withStopTimeout(wanted.stopTimeoutSec());
            if (wanted.command() != null) {
                create.withCmd(wanted.command());
            }
            if (wanted.entrypoint() != null) {
                create.withEntrypoint(wanted.entrypoint());
            }
            create.exec();
        });
    }

    private static ControllerStep start(ContainerArgs wanted, ControllerModuleContext context) {
        String what = wanted.checkRunningSec() > 0
                ? "start " + wanted.name() + " on " + context.host() + " and check it still runs "
                        + wanted.checkRunningSec() + " s later"
                : "start " + wanted.name() + " on " + context.host();
        return ControllerStep.of(what, c -> {
            DockerClient docker = docker(c);
            String id = inspectContainer(docker, wanted.name()).orElseThrow(() ->
                    new IOException("container " + wanted.name() + " on " + c.host() + " vanished before its start"))
                    .getId();
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException e) {
                // already running
            }
            if (wanted.checkRunningSec() > 0) {
                RunningCheck.verify(docker, id, wanted.name(), c.host(), wanted.checkRunningSec());
            }
        });
    }

    /** Stops (with the given timeout, else the container's own stop timeout) and removes. */
    private static ControllerStep remove(InspectContainerResponse existing, Integer timeoutSec,
                                         ControllerModuleContext context) {
        String name = existing.getName().startsWith("/") ? existing.getName().substring(1) : existing.getName();
        return ControllerStep.of("stop and remove " + name + " on " + context.host(), c -> {
            DockerClient docker = docker(c);
            if (Boolean.TRUE.equals(existing.getState().getRunning())) {
                stop(docker, existing.getId(), timeoutSec);
            }
            try {
                docker.removeContainerCmd(existing.getId()).withForce(true).exec();
            } catch (NotFoundException e) {
                // removed meanwhile: the goal is reached
            }
        });
    }

    private static void stop(DockerClient docker, String id, Integer timeoutSec) {
        try {
            var stop = docker.stopContainerCmd(id);
            if (timeoutSec != null) {
                stop.withTimeout(timeoutSec);
            }
            stop.exec();
        } catch (NotModifiedException | NotFoundException e) {
            // already stopped or gone
        }
    }

    private static String status(InspectContainerResponse container) {
        return container.getState().getStatus() + " " + container.getId().substring(0, 12);
    }

    private static DockerClient docker(ControllerModuleContext context) throws IOException {
        return context.access().docker();
    }

    private static Optional<InspectContainerResponse> inspectContainer(DockerClient docker, String name) {
        try {
            return Optional.of(docker.inspectContainerCmd(name).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static Optional<InspectImageResponse> inspectImage(DockerClient docker, String name) {
        try {
            return Optional.of(docker.inspectImageCmd(name).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> data(ContainerArgs wanted, String id, String state) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", wanted.name());
        data.put("id", id);
        data.put("image", wanted.image());
        data.put("state", state);
        return data;
    }
}
