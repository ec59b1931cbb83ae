package dev.rigger.lab.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.lab.Lab;
import dev.rigger.lab.LabPrerequisites;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A slow emulator (state delay) whose lab is then taken down by {@code Lab.down} while it holds an instance. */
@Tag("lab")
class Ec2EmulatorLabDownTest {
    private static final String LAB = "ec2downtest";

    @TempDir
    Path stateRoot;

    @Test
    void stateChangesWaitForTheDelayAndLabDownRemovesInstancesAndVolumeLoopDevices() throws Exception {
        LabPrerequisites.require();
        Ec2EmulatorOptions options = Ec2EmulatorOptions.defaults().withPort(0).withLabName(LAB).withStateRoot(stateRoot);
        Lab lab = Lab.of(options.labOptions());
        try (Ec2Emulator emulator = Ec2Emulator.start(options);
             Ec2Client ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            emulator.setFaults(new Ec2FaultSettings(0, 0, 3));
            long started = System.nanoTime();
            String image = ec2.describeImages(b -> b.owners("099720109477")).images().get(0).imageId();
            String instance = ec2.runInstances(b -> b.imageId(image).instanceType("t3.micro").minCount(1).maxCount(1))
                    .instances().get(0).instanceId();
            ec2.waiter().waitUntilInstanceRunning(b -> b.instanceIds(instance));
            assertThat(System.nanoTime() - started).as("pending -> running took at least stateDelaySec")
                    .isGreaterThanOrEqualTo(3_000_000_000L);

            String volume = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(1)).volumeId();
            ec2.attachVolume(b -> b.volumeId(volume).instanceId(instance).device("/dev/sdg"));
            assertThat(ec2.describeVolumes(b -> b.volumeIds(volume)).volumes().get(0).attachments().get(0).state())
                    .as("still attaching during the delay").isEqualTo(VolumeAttachmentState.ATTACHING);
            while (ec2.describeVolumes(b -> b.volumeIds(volume)).volumes().get(0).attachments().get(0).state()
                    != VolumeAttachmentState.ATTACHED) {
                Thread.sleep(200);
            }
            assertThat(run("docker", "exec", LAB + "-" + instance, "test", "-b", "/dev/xvdg")).isEmpty();
            assertThat(run("losetup", "--list", "--noheadings", "--output", "BACK-FILE")).contains(volume);

            JsonNode state = new ObjectMapper().readTree(emulator.stateJson());
            assertThat(state.path("instances").size()).isEqualTo(1);
            assertThat(state.path("volumes").size()).as("the data volume and the root volume").isEqualTo(2);
            assertThat(ec2.describeInstances(b -> b.instanceIds(instance)).reservations().get(0).instances().get(0)
                    .state().name()).isEqualTo(InstanceStateName.RUNNING);
        }
        lab.down(line -> { });

        assertThat(run("docker", "ps", "-a", "-q", "--filter", "label=dev.rigger.lab=" + LAB)).isBlank();
        assertThat(run("docker", "volume", "ls", "-q", "--filter", "label=dev.rigger.lab=" + LAB)).isBlank();
        assertThat(run("losetup", "--list", "--noheadings", "--output", "BACK-FILE")).doesNotContain(stateRoot.toString());
        assertThat(options.stateFile()).doesNotExist();
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }
}
