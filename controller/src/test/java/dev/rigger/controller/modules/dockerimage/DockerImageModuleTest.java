package dev.rigger.controller.modules.dockerimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.rigger.controller.docker.ControllerDocker;
import dev.rigger.controller.docker.DockerTestHost;
import dev.rigger.controller.docker.HostDocker;
import dev.rigger.controller.docker.TestImages;
import dev.rigger.controller.ssh.LocalSshd;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "host" is this machine reached through a real sshd, and so is the controller's dockerd: both sides are
 * one daemon. Shipping to a host that lacks the image is therefore shown with a saved tar (source file);
 * the controller's save stream is shown with force, which sends every byte through the tunnel all the same.
 */
@ExtendWith(LocalSshd.class)
class DockerImageModuleTest {

    private static DockerTestHost host;
    private static ControllerDocker controller;
    private final TestImages images = new TestImages();

    @BeforeAll
    static void connect(LocalSshd sshd, @TempDir Path state) throws Exception {
        host = DockerTestHost.connect(sshd, "image-node", state);
        controller = ControllerDocker.connect();
    }

    @AfterEach
    void removeImages() throws Exception {
        images.removeAll();
        host.clearOutput();
    }

    @AfterAll
    static void disconnect() {
        if (controller != null) {
            controller.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @Test
    void anImageTheHostHasWithTheControllersIdIsLeftAlone() throws Exception {
        String name = images.busybox();

        ModuleResult result = host.run("docker_image", "{\"name\": \"" + name + "\"}");

        assertThat(result.status()).as(result.msg()).isEqualTo(Status.OK);
        assertThat(result.changed()).isFalse();
        assertThat(result.data()).containsEntry("id", hostDocker().inspectImageCmd(name).exec().getId())
                .containsEntry("shipped", 0L);
    }

    @Test
    void shipsASavedTarToAHostThatLacksTheImageThenLeavesItAlone(@TempDir Path dir) throws Exception {
        String name = images.busybox(12_000_000);
        Path tar = dir.resolve("image.tar");
        try (InputStream saved = controller.client().saveImageCmd(name).exec()) {
            Files.copy(saved, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        String id = hostDocker().inspectImageCmd(name).exec().getId();
        hostDocker().removeImageCmd(name).exec();
        String args = "{\"name\": \"" + name + "\", \"source\": \"file\", \"path\": \"" + tar + "\"}";

        ModuleResult first = host.run("docker_image", args);

        assertThat(first.status()).as(first.msg()).isEqualTo(Status.CHANGED);
        assertThat(hostDocker().inspectImageCmd(name).exec().getId()).isEqualTo(id);
        assertThat(first.data()).containsEntry("id", id).containsEntry("shipped", Files.size(tar));
        assertThat(host.output()).as("progress while sending").anyMatch(l -> l.matches("sent \\d+\\.\\d of \\d+\\.\\d MB"))
                .anyMatch(l -> l.startsWith("sent ") && l.contains("MB/s"));
        assertThat(first.diff().before()).isEqualTo("absent");

        ModuleResult second = host.run("docker_image", args);

        assertThat(second.status()).as(second.msg()).isEqualTo(Status.OK);
        assertThat(second.changed()).isFalse();
    }

    @Test
    void streamsTheControllersSaveIntoTheHostsLoadWhenForced() throws Exception {
        String name = images.busybox(12_000_000);
        String id = controller.client().inspectImageCmd(name).exec().getId();

        ModuleResult result = host.run("docker_image", "{\"name\": \"" + name + "\", \"force\": true}");

        assertThat(result.status()).as(result.msg()).isEqualTo(Status.CHANGED);
        assertThat((Long) result.data().get("shipped")).as("the whole save stream crossed the tunnel")
                .isGreaterThan(12_000_000L);
        assertThat(result.data()).containsEntry("id", id);
        assertThat(host.output()).anyMatch(l -> l.matches("sent \\d+\\.\\d of about \\d+\\.\\d MB"));
    }

    @Test
    void refusesATarThatDoesNotHoldTheImageAndNamesItsTags(@TempDir Path dir) throws Exception {
        String name = images.busybox();
        Path tar = dir.resolve("image.tar");
        try (InputStream saved = controller.client().saveImageCmd(name).exec()) {
            Files.copy(saved, tar);
        }

        ModuleResult result = host.run("docker_image",
                "{\"name\": \"rigger-test/other:1\", \"source\": \"file\", \"path\": \"" + tar + "\"}");

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.msg()).contains(tar.toString()).contains("rigger-test/other:1").contains(name);
    }

    @Test
    void failsNamingAnImageTheControllerDoesNotHave() throws Exception {
        ModuleResult result = host.run("docker_image", "{\"name\": \"rigger-test/never-made:1\"}");

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.msg()).contains("rigger-test/never-made:1").contains("controller's dockerd");
    }

    @Test
    void removesAnAbsentImageOnceAndOnlyOnce() throws Exception {
        String name = images.busybox();
        String alias = name.replace("busybox:", "busybox-alias:");
        String[] repoTag = alias.split(":");
        hostDocker().tagImageCmd(name, repoTag[0], repoTag[1]).exec();
        images.remember(alias);
        String args = "{\"name\": \"" + alias + "\", \"state\": \"absent\"}";

        ModuleResult check = host.run("docker_image", args, true);
        assertThat(check.msg()).startsWith("would ");
        assertThat(hostDocker().inspectImageCmd(alias).exec().getId()).as("check mode changes nothing").isNotBlank();

        ModuleResult first = host.run("docker_image", args);
        ModuleResult second = host.run("docker_image", args);

        assertThat(first.status()).as(first.msg()).isEqualTo(Status.CHANGED);
        assertThat(second.status()).as(second.msg()).isEqualTo(Status.OK);
        assertThat(isPresent(alias)).isFalse();
        assertThat(isPresent(name)).as("the other tag of the same image stays").isTrue();
    }

    @Test
    void reportsAPullThatCannotReachItsRegistry() throws Exception {
        // a registry address on loopback where nothing listens: refused at once, no traffic leaves the machine
        ModuleResult result = host.run("docker_image", "{\"name\": \"127.0.0.1:9/rigger-test/none:1\", \"source\": \"pull\"}");

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.msg()).contains("image-node could not pull 127.0.0.1:9/rigger-test/none:1");
    }

    @Test
    void rejectsAnUnknownSource() throws Exception {
        ModuleResult result = host.run("docker_image", "{\"name\": \"a:1\", \"source\": \"ftp\"}");

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.msg()).isEqualTo("args.source: must be pull, controller or file, was 'ftp'");
    }

    private static boolean isPresent(String name) throws Exception {
        try {
            hostDocker().inspectImageCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static DockerClient hostDocker() throws Exception {
        return HostDocker.of(host.ssh()).client();
    }
}
