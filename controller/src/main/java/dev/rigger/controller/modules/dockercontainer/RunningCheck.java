package dev.rigger.controller.modules.dockercontainer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * After a start: the container must still run a while later. Containers that refuse a badly prepared host
 * (the ECS image, its simulator) exit at once, and only their log says why, so a failure quotes it.
 */
final class RunningCheck {
    static final int LOG_LINES = 20;
    private static final long POLL_MS = 250;

    private RunningCheck() {
    }

    static void verify(DockerClient docker, String id, String name, String host, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
            boolean running = Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting());
            if (!running) {
                throw new IOException(String.format(Locale.ROOT,
                        "container %s on %s %s with code %s within %.0f s of starting; its last log lines:%n%s",
                        name, host, Boolean.TRUE.equals(state.getRestarting()) ? "is restarting after exiting" : "exited",
                        state.getExitCodeLong(), seconds, quote(lastLines(docker, id))));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(POLL_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
    }

    static List<String> lastLines(DockerClient docker, String id) throws InterruptedException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ResultCallback.Adapter<Frame> collect = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (log) {
                    log.writeBytes(frame.getPayload());
                }
            }
        };
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(LOG_LINES).exec(collect)
                .awaitCompletion(30, TimeUnit.SECONDS);
        String text;
        synchronized (log) {
            text = log.toString(StandardCharsets.UTF_8);
        }
        List<String> lines = Arrays.stream(text.split("\r?\n")).filter(l -> !l.isBlank()).toList();
        return lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size());
    }

    private static String quote(List<String> lines) {
        if (lines.isEmpty()) {
            return "  | (no output)";
        }
        return String.join("\n", lines.stream().map(l -> "  | " + l).toList());
    }
}
