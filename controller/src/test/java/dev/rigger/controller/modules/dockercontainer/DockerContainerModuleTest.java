package dev.rigger.controller.modules.dockercontainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import dev.rigger.controller.docker.DockerTestHost;
import dev.rigger.controller.docker.HostDocker;
import dev.rigger.controller.docker.TestImages;
import dev.rigger.controller.ssh.LocalSshd;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalSshd.class)
class DockerContainerModuleTest {

    /** Every container these tests make carries it, so that clean-up finds them all. */
    private static final String TEST_LABEL = "dev.rigger.test";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** Stops at once on SIGTERM (a plain sleep as PID 1 would ignore it and wait out the stop timeout). */
    private static final String SLEEPER = "[\"sh\", \"-c\", \"trap 'exit 0' TERM; sleep 600 & wait\"]";

    private static DockerTestHost host;
    private static final TestImages IMAGES = new TestImages();
    private static String image;

    @BeforeAll
    static void connect(LocalSshd sshd, @TempDir Path state) throws Exception {
        host = DockerTestHost.connect(sshd, "container-node", state);
        image = IMAGES.busybox();
    }

    @AfterEach
    void removeContainers() throws Exception {
        for (Container c : docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(TEST_LABEL + "=" + RUN)).exec()) {
            docker().removeContainerCmd(c.getId()).withForce(true).exec();
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        IMAGES.removeAll();
        if (host != null) {
            host.close();
        }
    }

    @Test
    void createsAndStartsAContainerAsDescribedThenLeavesItAlone(@TempDir Path data) throws Exception {
        String name = unique("ecs");
        String args = """
                {"name": "%s", "image": "%s", "networkMode": "host",
                 "env": {"GREETING": "hello from rigger", "SS_GENCONFIG": 1},
                 "binds": ["%s:/data:z"], "devices": ["/dev/urandom:/dev/random"],
                 "restartPolicy": "on-failure:2", "stopTimeoutSec": 7, "labels": {"%s": "%s"},
                 "command": ["sh", "-c", "echo \\"$GREETING\\" > /data/greeting; trap 'exit 0' TERM; sleep 600 & wait"]}
                """.formatted(name, image, data, TEST_LABEL, RUN);

        ModuleResult first = host.run("docker_container", args);

        assertThat(first.status()).as(first.msg()).isEqualTo(Status.CHANGED);
        InspectContainerResponse made = docker().inspectContainerCmd(name).exec();
        assertThat(made.getState().getRunning()).isTrue();
        assertThat(first.data()).containsEntry("id", made.getId()).containsEntry("state", "running")
                .containsEntry("image", image).containsEntry("name", name);
        HostConfig config = made.getHostConfig();
        assertThat(config.getNetworkMode()).isEqualTo("host");
        assertThat(Arrays.stream(config.getBinds()).map(Object::toString)).singleElement().asString()
                .startsWith(data + ":/data:");
        assertThat(config.getDevices()).singleElement().satisfies(d -> {
            assertThat(d.getPathOnHost()).isEqualTo("/dev/urandom");
            assertThat(d.getPathInContainer()).isEqualTo("/dev/random");
        });
        assertThat(config.getRestartPolicy().getName()).isEqualTo("on-failure");
        assertThat(config.getRestartPolicy().getMaximumRetryCount()).isEqualTo(2);
        assertThat(made.getConfig().getEnv()).contains("GREETING=hello from rigger", "SS_GENCONFIG=1");
        assertThat(made.getConfig().getLabels()).containsKey("dev.rigger.config").containsEntry(TEST_LABEL, RUN);
        assertThat(waitForFile(data.resolve("greeting"))).as("the bind reaches the host directory")
                .isEqualTo("hello from rigger\n");

        ModuleResult second = host.run("docker_container", args);

        assertThat(second.status()).as(second.msg()).isEqualTo(Status.OK);
        assertThat(second.changed()).isFalse();
        assertThat(docker().inspectContainerCmd(name).exec().getId()).isEqualTo(made.getId());
    }

    @Test
    void recreatesAContainerWhoseConfigurationChangedAndShowsTheDifference() throws Exception {
        String name = unique("env");
        String before = sleeper(name, "\"env\": {\"MODE\": \"one\"}");
        host.run("docker_container", before);
        String oldId = docker().inspectContainerCmd(name).exec().getId();

        ModuleResult result = host.run("docker_container", sleeper(name, "\"env\": {\"MODE\": \"two\"}"));

        assertThat(result.status()).as(result.msg()).isEqualTo(Status.CHANGED);
        assertThat(result.msg()).startsWith("recreate ").contains("configuration differs");
        InspectContainerResponse now = docker().inspectContainerCmd(name).exec();
        assertThat(now.getId()).as("a new container").isNotEqualTo(oldId);
        assertThat(now.getState().getRunning()).isTrue();
        assertThat(now.getConfig().getEnv()).contains("MODE=two");
        assertThat(result.diff().before()).contains("\"MODE\" : \"one\"");
        assertThat(result.diff().after()).contains("\"MODE\" : \"two\"");
        assertThat(isPresent(oldId)).isFalse();
    }

    @Test
    void recreatesAContainerWhenItsImageTagNowNamesAnotherImage() throws Exception {
        String name = unique("retag");
        String moving = "rigger-test/moving:" + RUN;
        String[] repoTag = moving.split(":");
        docker().tagImageCmd(image, repoTag[0], repoTag[1]).exec();
        IMAGES.remember(moving);
        String args = sleeper(name, "").replace(image, moving);
        host.run("docker_container", args);
        String oldId = docker().inspectContainerCmd(name).exec().getId();
        String newer = IMAGES.busybox();
        docker().tagImageCmd(newer, repoTag[0], repoTag[1]).withForce().exec();

        ModuleResult result = host.run("docker_container", args);

        assertThat(result.status()).as(result.msg()).isEqualTo(Status.CHANGED);
        assertThat(result.msg()).contains("image changed");
        InspectContainerResponse now = docker().inspectContainerCmd(name).exec();
        assertThat(now.getId()).isNotEqualTo(oldId);
        assertThat(now.getImageId()).isEqualTo(docker().inspectImageCmd(newer).exec().getId());
        assertThat(result.diff().after()).contains(now.getImageId());
    }

    @Test
    void startsAStoppedContainerWithoutRecreatingIt() throws Exception {
        String name = unique("stopped");
        // templated numbers arrive as text
        String args = sleeper(name, "\"stopTimeoutSec\": \"5\"");
        host.run("docker_container", args);
        String id = docker().inspectContainerCmd(name).exec().getId();
        docker().stopContainerCmd(id).exec();

        ModuleResult result = host.run("docker_container", args);

        assertThat(result.status()).as(result.msg()).isEqualTo(Status.CHANGED);
        assertThat(result.msg()).startsWith("start ");
        InspectContainerResponse now = docker().inspectContainerCmd(name).exec();
        assertThat(now.getId()).isEqualTo(id);
        assertThat(now.getState().getRunning()).isTrue();
    }

    @Test
    void removesAnAbsentContainerOnceAndOnlyOnce() throws Exception {
        String name = unique("gone");
        host.run("docker_container", sleeper(name, "\"stopTimeoutSec\": 5"));
        String id = docker().inspectContainerCmd(name).exec().getId();
        String absent = "{\"name\": \"" + name + "\", \"state\": \"absent\", \"stopTimeoutSec\": 5}";

        ModuleResult first = host.run("docker_container", absent);
        ModuleResult second = host.run("docker_container", absent);

        assertThat(first.status()).as(first.msg()).isEqualTo(Status.CHANGED);
        assertThat(first.data()).containsEntry("id", id).containsEntry("state", "absent");
        assertThat(isPresent(name)).isFalse();
        assertThat(second.status()).as(second.msg()).isEqualTo(Status.OK);
    }

    @Test
    void failsWithTheExitCodeAndQuotedLogOfAContainerThatExitsRightAfterStarting() throws Exception {
        String name = unique("refuses");
        String args = """
                {"name": "%s", "image": "%s", "labels": {"%s": "%s"}, "checkRunningSec": 20,
                 "command": ["sh", "-c", "echo booting; echo 'Error: network json file not found: /host/data/network.json' >&2; exit 3"]}
                """.formatted(name, image, TEST_LABEL, RUN);

        ModuleResult result = host.run("docker_container", args);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.msg()).contains("container " + name + " on container-node exited with code 3")
                .contains("  | booting")
                .contains("  | Error: network json file not found: /host/data/network.json");
    }

    @Test
    void passesTheRunningCheckOfAContainerThatKeepsRunning() throws Exception {
        String name = unique("steady");

        ModuleResult result = host.run("docker_container", sleeper(name, "\"checkRunningSec\": 1"));

        assertThat(result.status()).as(result.msg()).isEqualTo(Status.CHANGED);
        assertThat(docker().inspectContainerCmd(name).exec().getState().getRunning()).isTrue();
    }

    @Test
    void createsWithoutStartingForPresentAndStopsForStopped() throws Exception {
        String name = unique("present");

        ModuleResult present = host.run("docker_container", sleeper(name, "\"state\": \"present\""));

        assertThat(present.status()).as(present.msg()).isEqualTo(Status.CHANGED);
        assertThat(docker().inspectContainerCmd(name).exec().getState().getStatus()).isEqualTo("created");

        host.run("docker_container", sleeper(name, "\"state\": \"started\""));
        ModuleResult stopped = host.run("docker_container", sleeper(name, "\"state\": \"stopped\""));

        assertThat(stopped.status()).as(stopped.msg()).isEqualTo(Status.CHANGED);
        assertThat(docker().inspectContainerCmd(name).exec().getState().getRunning()).isFalse();
    }

    @Test
    void checkModeSaysWhatItWouldDoAndChangesNothing() throws Exception {
        String name = unique("check");

        ModuleResult result = host.run("docker_container", sleeper(name, "\"privileged\": false"), true);

        assertThat(result.status()).isEqualTo(Status.CHANGED);
        assertThat(result.msg()).startsWith("would create ");
        assertThat(result.steps()).extracting(s -> s.description()).allMatch(d -> d.startsWith("would "));
        assertThat(isPresent(name)).isFalse();
    }

    @Test
    void refusesToRunAnImageTheHostDoesNotHave() throws Exception {
        ModuleResult result = host.run("docker_container",
                "{\"name\": \"" + unique("noimage") + "\", \"image\": \"rigger-test/never-made:1\"}");

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.msg()).contains("rigger-test/never-made:1").contains("container-node").contains("docker_image");
    }

    @Test
    void rejectsARestartPolicyDockerDoesNotKnow() throws Exception {
        ModuleResult result = host.run("docker_container",
                "{\"name\": \"x\", \"image\": \"" + image + "\", \"restartPolicy\": \"sometimes\"}");

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.msg()).startsWith("args.restartPolicy:").contains("sometimes");
    }

    private static String sleeper(String name, String extra) {
        return "{\"name\": \"" + name + "\", \"image\": \"" + image + "\", \"labels\": {\"" + TEST_LABEL + "\": \""
                + RUN + "\"}, \"command\": " + SLEEPER + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    private static String unique(String what) {
        return "rigger-test-" + what + "-" + RUN;
    }

    private static boolean isPresent(String nameOrId) throws Exception {
        try {
            docker().inspectContainerCmd(nameOrId).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String waitForFile(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(file) && Files.size(file) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return Files.exists(file) ? Files.readString(file) : null;
    }

    private static DockerClient docker() throws Exception {
        return HostDocker.of(host.ssh()).client();
    }
}
