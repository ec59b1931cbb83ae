package dev.rigger.lab.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/** The emulator's signature check against requests signed by the AWS SDK's own SigV4 signer. */
class SigV4VerifierTest {
    private static final Ec2Credentials KEY = new Ec2Credentials("AKIAEMULATORKEY00001", "the/emulator+secret0123456789abcdefghijkl");
    private static final Instant NOW = Instant.parse("2026-12-06T02:30:00Z");
    private static final String BODY = "Action=DescribeVpcs&Version=2016-11-15";

    private final SigV4Verifier verifier = new SigV4Verifier(KEY);

    @Test
    void aRequestSignedWithTheEmulatorsKeyPasses() {
        Map<String, String> headers = signed(KEY.accessKeyId(), KEY.secretAccessKey(), BODY, NOW);

        assertThatCode(() -> verify(headers, BODY, NOW)).doesNotThrowAnyException();
    }

    @Test
    void aRequestSignedWithAnotherSecretIsRefusedWith403SignatureDoesNotMatch() {
        Map<String, String> headers = signed(KEY.accessKeyId(), "another/secret+of40chars0123456789abcdefg", BODY, NOW);

        assertThatThrownBy(() -> verify(headers, BODY, NOW)).isInstanceOfSatisfying(Ec2ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        });
    }

    @Test
    void aRequestSignedWithAnotherKeyIdIsRefusedWith403AuthFailure() {
        Map<String, String> headers = signed("AKIAOTHERKEY00000001", KEY.secretAccessKey(), BODY, NOW);

        assertThatThrownBy(() -> verify(headers, BODY, NOW)).isInstanceOfSatisfying(Ec2ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.code()).isEqualTo("AuthFailure");
        });
    }

    @Test
    void anUnsignedRequestIsRefused() {
        assertThatThrownBy(() -> verify(Map.of("host", "127.0.0.1:4566"), BODY, NOW))
                .isInstanceOfSatisfying(Ec2ApiException.class, e -> assertThat(e.code()).isEqualTo("AuthFailure"));
    }

    @Test
    void aBodyChangedAfterSigningIsRefused() {
        Map<String, String> headers = signed(KEY.accessKeyId(), KEY.secretAccessKey(), BODY, NOW);

        assertThatThrownBy(() -> verify(headers, "Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-1", NOW))
                .isInstanceOfSatisfying(Ec2ApiException.class, e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
    }

    @Test
    void aSignatureOlderThanFifteenMinutesIsRefusedAsExpired() {
        Map<String, String> headers = signed(KEY.accessKeyId(), KEY.secretAccessKey(), BODY, NOW.minus(Duration.ofMinutes(16)));

        assertThatThrownBy(() -> verify(headers, BODY, NOW))
                .isInstanceOfSatisfying(Ec2ApiException.class, e -> assertThat(e.code()).isEqualTo("RequestExpired"));
    }

    @Test
    void theSecretNeverShowsInTheCredentialsText() {
        assertThat(KEY.toString()).contains(KEY.accessKeyId()).doesNotContain(KEY.secretAccessKey());
    }

    private void verify(Map<String, String> headers, String body, Instant now) {
        verifier.verify("POST", "/", null, name -> headers.get(name.toLowerCase()),
                body.getBytes(StandardCharsets.UTF_8), now);
    }

    private static Map<String, String> signed(String accessKey, String secretKey, String body, Instant when) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().protocol("http").host("127.0.0.1").port(4566).encodedPath("/")
                .method(SdkHttpMethod.POST).putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SdkHttpRequest out = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(accessKey, secretKey))
                .request(request)
                .payload(() -> new ByteArrayInputStream(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(when, ZoneOffset.UTC))).request();
        Map<String, String> headers = new TreeMap<>();
        out.headers().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        headers.put("host", "127.0.0.1:4566");
        return headers;
    }
}
