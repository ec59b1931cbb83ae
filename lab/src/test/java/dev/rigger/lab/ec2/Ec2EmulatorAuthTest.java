package dev.rigger.lab.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.lab.Lab;
import dev.rigger.lab.LabPrerequisites;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * Only the holder of the emulator's per-start key may call it: the key sits in a 0600 root-owned file that
 * another user cannot read, a client signing with it works, one signing with any other key gets 403.
 */
@Tag("lab")
class Ec2EmulatorAuthTest {
    private static final String LAB = "aws-auth";

    @TempDir
    Path stateRoot;

    @Test
    void onlyRequestsSignedWithTheKeyInTheRootOnlyFileAreServed() throws Exception {
        LabPrerequisites.require();
        Ec2EmulatorOptions options = Ec2EmulatorOptions.defaults().withPort(0).withLabName(LAB).withStateRoot(stateRoot);
        try (Ec2Emulator emulator = Ec2Emulator.start(options)) {
            Path file = Ec2Emulator.credentialsFile(options);
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0);
            Process other = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat",
                    file.toString()).redirectErrorStream(true).start();
            String otherOut = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(other.waitFor()).as("another user reads the key: " + otherOut).isNotZero();
            assertThat(otherOut).doesNotContain(emulator.credentials().secretAccessKey());

            // the SDK reads the file as the AWS CLI would (AWS_SHARED_CREDENTIALS_FILE)
            try (Ec2Client owner = client(emulator, ProfileCredentialsProvider.builder()
                    .profileFile(ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build())
                    .profileName("default").build())) {
                assertThat(owner.describeAvailabilityZones().availabilityZones()).isNotEmpty();
            }
            try (Ec2Client stranger = client(emulator, StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    emulator.credentials().accessKeyId(), "not/the+emulators0secret0123456789abcdef")))) {
                assertThatThrownBy(stranger::describeAvailabilityZones).isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                });
            }
            try (Ec2Client stranger = client(emulator, StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    "AKIASTRANGER00000001", "not/the+emulators0secret0123456789abcdef")))) {
                assertThatThrownBy(stranger::describeAvailabilityZones).isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthFailure");
                });
            }
            HttpResponse<String> forged = SignedCall.send(emulator.endpoint(), "GET", "/_rigger/state", null,
                    emulator.credentials().accessKeyId(), "not/the+emulators0secret0123456789abcdef", Clock.systemUTC());
            assertThat(forged.statusCode()).as("the test endpoints are guarded too").isEqualTo(403);
            assertThat(forged.body()).contains("<Code>SignatureDoesNotMatch</Code>");
            assertThat(SignedCall.send(emulator, "GET", "/_rigger/state", null).statusCode()).isEqualTo(200);
        } finally {
            Lab.of(options.labOptions()).down(line -> { });
        }
    }

    private static Ec2Client client(Ec2Emulator emulator, AwsCredentialsProvider credentials) {
        return Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
