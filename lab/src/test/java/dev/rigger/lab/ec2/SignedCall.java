package dev.rigger.lab.ec2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/** One HTTP call to the emulator signed by the AWS SDK's own SigV4 signer with the given key, sent by the JDK's client. */
final class SignedCall {
    private SignedCall() {
    }

    static HttpResponse<String> send(URI endpoint, String method, String path, String body, String accessKey,
                                     String secretKey, Clock clock) throws IOException, InterruptedException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(endpoint.resolve(path)).method(SdkHttpMethod.fromValue(method));
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        }
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(accessKey, secretKey))
                .request(unsigned.build())
                .payload(() -> new ByteArrayInputStream(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .method(method, bytes.length == 0 && body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.request().headers().forEach((name, values) -> {
            // the JDK's client sets Host and Content-Length itself, from the same values the signature covered
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(Ec2Emulator emulator, String method, String path, String body)
            throws IOException, InterruptedException {
        return send(emulator.endpoint(), method, path, body, emulator.credentials().accessKeyId(),
                emulator.credentials().secretAccessKey(), Clock.systemUTC());
    }
}
