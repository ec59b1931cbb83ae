package dev.rigger.controller.modules.dockerimage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.rigger.controller.docker.ControllerDocker;
import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerPlan;
import dev.rigger.controller.modules.ControllerStep;
import dev.rigger.protocol.Diff;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code docker_image}: makes an image present on (or absent from) the host's dockerd, reached through
 * the host's SSH session. Hosts that cannot reach a registry get it from the controller: {@code docker save}
 * on the controller's own dockerd streamed into {@code docker load} on the host, never held in memory.
 *
 * <pre>{@code {"module": "docker_image", "args": {"name": "rigger/ecs-sim:1"}}
 * {"module": "docker_image", "args": {"name": "rigger/ecs-sim:1", "source": "file", "path": "ecs-sim.tar"}}
 * {"module": "docker_image", "args": {"name": "debian:12", "source": "pull"}}}</pre>
 *
 * Arguments: {@code name} (repo:tag, required), {@code source} pull | controller | file (default controller),
 * {@code path} (a {@code docker save} tar, for source file), {@code state} present | absent (default present),
 * {@code force} (ship or pull even when the host has it; with absent, remove even if containers use it).
 * Data: {@code name}, {@code id}, {@code shipped} (bytes sent to the host).
 */
public final class DockerImageModule implements ControllerModule {
    private static final double MB = 1_000_000.0;

    @Override
    public ControllerPlan plan(ObjectNode args, ControllerModuleContext context) throws Exception {
        ImageArgs wanted = ImageArgs.parse(args);
        DockerClient host = hostDocker(context);
        Optional<InspectImageResponse> current = inspect(host, wanted.name());
        String currentId = current.map(InspectImageResponse::getId).orElse(null);
        if (!wanted.present()) {
            if (current.isEmpty()) {
                return ControllerPlan.noop(wanted.name() + " is not on " + context.host(), data(wanted.name(), null, 0));
            }
            ControllerStep remove = ControllerStep.of("remove " + wanted.name() + " from " + context.host(),
                    c -> hostDocker(c).removeImageCmd(wanted.name())
                            .withForce(wanted.force()).exec());
            return new ControllerPlan(List.of(remove), "remove " + wanted.name() + " from " + context.host(),
                    new Diff(wanted.name() + " " + currentId, "absent"), data(wanted.name(), null, 0), null);
        }
        return switch (wanted.source()) {
            case CONTROLLER -> fromController(wanted, currentId, context);
            case FILE -> fromFile(wanted, currentId, context);
            case PULL -> pull(wanted, currentId, context);
        };
    }

    private ControllerPlan fromController(ImageArgs wanted, String currentId, ControllerModuleContext context) {
        String id;
        long size;
        String where;
        try (ControllerDocker local = ControllerDocker.connect()) {
            where = local.describe();
            InspectImageResponse image = inspect(local.client(), wanted.name()).orElseThrow(() ->
                    new IllegalStateException(wanted.name() + " is not in " + local.describe()
                            + ": build, import or pull it there first (or use source pull or file)"));
            id = image.getId();
            size = image.getSize() == null ? 0 : image.getSize();
        }
        if (id.equals(currentId) && !wanted.force()) {
            return ControllerPlan.noop(wanted.name() + " is present on " + context.host() + " as " + shortId(id),
                    data(wanted.name(), id, 0));
        }
        AtomicLong shipped = new AtomicLong();
        ControllerStep ship = ControllerStep.of(String.format(Locale.ROOT, "ship %s (about %.1f MB) from %s to %s",
                wanted.name(), size / MB, where, context.host()), c -> {
            try (ControllerDocker local = ControllerDocker.connect();
                 InputStream saved = local.client().saveImageCmd(wanted.name()).exec()) {
                shipped.set(load(saved, size, true, wanted.name(), id, c));
            }
        });
        return shipPlan(wanted, context.host(), currentId, id, ship, shipped);
    }

    private ControllerPlan fromFile(ImageArgs wanted, String currentId, ControllerModuleContext context)
            throws IOException {
        ImageTar tar = ImageTar.read(wanted.path());
        String id = tar.idOf(wanted.name());
        if (id == null) {
            throw new IOException(wanted.path() + " does not hold " + wanted.name() + "; its tags: " + tar.tags());
        }
        if (id.equals(currentId) && !wanted.force()) {
            return ControllerPlan.noop(wanted.name() + " is present on " + context.host() + " as " + shortId(id),
                    data(wanted.name(), id, 0));
        }
        AtomicLong shipped = new AtomicLong();
        ControllerStep ship = ControllerStep.of(String.format(Locale.ROOT, "load %s (%.1f MB) from %s into %s",
                wanted.name(), tar.size() / MB, wanted.path(), context.host()), c -> {
            try (InputStream in = Files.newInputStream(wanted.path())) {
                shipped.set(load(in, tar.size(), false, wanted.name(), id, c));
            }
        });
        return shipPlan(wanted, context.host(), currentId, id, ship, shipped);
    }

    private ControllerPlan pull(ImageArgs wanted, String currentId, ControllerModuleContext context) {
        if (currentId != null && !wanted.force()) {
            return ControllerPlan.noop(wanted.name() + " is present on " + context.host() + " as " + shortId(currentId),
                    data(wanted.name(), currentId, 0));
        }
        ControllerStep pull = ControllerStep.of("pull " + wanted.name() + " on " + context.host(), c -> {
            int colon = wanted.name().lastIndexOf(':');
            boolean tagged = !wanted.name().contains("@") && colon > wanted.name().lastIndexOf('/');
            var command = hostDocker(c)
                    .pullImageCmd(tagged ? wanted.name().substring(0, colon) : wanted.name());
            if (tagged) {
                command.withTag(wanted.name().substring(colon + 1));
            }
            PullProgress progress = command.exec(new PullProgress(c));
            progress.awaitCompletion();
            if (progress.error != null) {
                throw new IOException(c.host() + " could not pull " + wanted.name() + ": "
                        + progress.error.getMessage(), progress.error);
            }
        });
        return new ControllerPlan(List.of(pull), "pull " + wanted.name() + " on " + context.host(),
                new Diff(currentId == null ? "absent" : wanted.name() + " " + currentId, wanted.name()),
                data(wanted.name(), ControllerPlan.KNOWN_AFTER_APPLY, 0), null)
                .withDataAfterApply(c -> data(wanted.name(), requireOnHost(wanted.name(), c).getId(), 0));
    }

    private static ControllerPlan shipPlan(ImageArgs wanted, String host, String currentId, String id, ControllerStep ship,
                                           AtomicLong shipped) {
        return new ControllerPlan(List.of(ship), "make " + wanted.name() + " present on " + host + " as " + shortId(id),
                new Diff(currentId == null ? "absent" : wanted.name() + " " + currentId, wanted.name() + " " + id),
                data(wanted.name(), id, 0), null)
                .withDataAfterApply(c -> data(wanted.name(), requireOnHost(wanted.name(), c).getId(), shipped.get()));
    }

    /**
     * Streams a {@code docker save} tar into the host's {@code load} and checks the result: the load call
     * itself does not report a broken archive.
     */
    private static long load(InputStream tar, long expected, boolean estimate, String name, String id,
                             ControllerModuleContext context) throws IOException {
        ProgressInputStream counted = new ProgressInputStream(tar, expected, estimate, context.output());
        hostDocker(context).loadImageCmd(counted).exec();
        context.output().accept(String.format(Locale.ROOT, "sent %.1f MB to %s at %.1f MB/s",
                counted.count() / MB, context.host(), counted.rate()));
        String loaded = requireOnHost(name, context).getId();
        if (!loaded.equals(id)) {
            throw new IOException("after loading, " + name + " on " + context.host() + " is " + shortId(loaded)
                    + ", expected " + shortId(id));
        }
        return counted.count();
    }

    private static InspectImageResponse requireOnHost(String name, ControllerModuleContext context) throws IOException {
        return inspect(hostDocker(context), name)
                .orElseThrow(() -> new IOException(name + " is not on " + context.host() + " after loading it"));
    }

    private static DockerClient hostDocker(ControllerModuleContext context) throws IOException {
        return context.access().docker();
    }

    private static Optional<InspectImageResponse> inspect(DockerClient docker, String name) {
        try {
            return Optional.of(docker.inspectImageCmd(name).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> data(String name, String id, long shipped) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name);
        data.put("id", id);
        data.put("shipped", shipped);
        return data;
    }

    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** Pull progress as a few lines: each finished layer, and the download every tenth. */
    private static final class PullProgress extends ResultCallback.Adapter<PullResponseItem> {
        private final ControllerModuleContext context;
        private final Map<String, long[]> layers = new LinkedHashMap<>();
        private int reportedTenths;
        private volatile Throwable error;

        PullProgress(ControllerModuleContext context) {
            this.context = context;
        }

        /** Kept for the step's own message; the base class would also log it with a stack trace. */
        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            try {
                close();
            } catch (IOException e) {
                // the pull is over either way
            }
        }

        @Override
        public void onNext(PullResponseItem item) {
            if (item.getErrorDetail() != null || item.getError() != null) {
                onError(new IOException(item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError()));
                return;
            }
            String status = item.getStatus() == null ? "" : item.getStatus();
            if ("Downloading".equals(status) && item.getProgressDetail() != null && item.getId() != null) {
                Long current = item.getProgressDetail().getCurrent();
                Long total = item.getProgressDetail().getTotal();
                layers.put(item.getId(), new long[] {current == null ? 0 : current, total == null ? 0 : total});
                long done = layers.values().stream().mapToLong(l -> l[0]).sum();
                long all = layers.values().stream().mapToLong(l -> l[1]).sum();
                int tenths = all == 0 ? 0 : (int) (done * 10 / all);
                if (tenths > reportedTenths) {
                    reportedTenths = tenths;
                    context.output().accept(String.format(Locale.ROOT, "downloaded %.1f of %.1f MB", done / MB, all / MB));
                }
            } else if (status.equals("Pull complete") || status.startsWith("Status:") || status.startsWith("Digest:")) {
                context.output().accept(item.getId() == null ? status : item.getId() + ": " + status);
            }
        }
    }
}
