package dev.rigger.controller.modules.ec2;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * One task's EC2 client: region and credentials from the SDK's default chains (the region argument
 * overrides), the JDK's HTTP client, the retry strategy of {@link Ec2Retries}, and a call counter.
 *
 * <p>An endpoint on loopback is the emulator: there the chains never ask the instance metadata service
 * (nothing on this side of it is an EC2 instance), the region falls back to us-east-1, and, if no
 * credentials are configured at all, placeholder ones sign the requests (the emulator checks none).
 */
final class Ec2Connection implements AutoCloseable {
    static final String EMULATOR_REGION = "us-east-1";

    private final Ec2Client client;
    private final AwsCredentialsProvider credentials;
    private final Ec2CallCounter counter;
    private final String region;

    private Ec2Connection(Ec2Client client, AwsCredentialsProvider credentials, Ec2CallCounter counter, String region) {
        this.client = client;
        this.credentials = credentials;
        this.counter = counter;
        this.region = region;
    }

    static Ec2Connection open(Ec2Args a) {
        boolean emulator = a.endpoint() != null && loopback(a.endpoint());
        Region region = Region.of(a.region() != null ? a.region() : defaultRegion(emulator));
        Ec2CallCounter counter = new Ec2CallCounter();
        AwsCredentialsProvider credentials = credentials(emulator);
        var builder = Ec2Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.retryStrategy(Ec2Retries.strategy())
                        .addExecutionInterceptor(counter)
                        .apiCallTimeout(Duration.ofMinutes(10)));
        if (a.endpoint() != null) {
            builder.endpointOverride(a.endpoint());
        }
        return new Ec2Connection(builder.build(), credentials, counter, region.id());
    }

    Ec2Client client() {
        return client;
    }

    Ec2CallCounter counter() {
        return counter;
    }

    String region() {
        return region;
    }

    @Override
    public void close() {
        client.close();
        // the client leaves a provider it was given open; the default chain may hold SSO or STS clients
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing was sent with it that closing could lose
            }
        }
    }

    private static String defaultRegion(boolean emulator) {
        if (emulator) {
            try {
                return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                        .getRegion().id();
            } catch (SdkClientException e) {
                return EMULATOR_REGION;
            }
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion().id();
        } catch (SdkClientException e) {
            throw new Ec2Failure("ec2: no AWS region: set args.region, AWS_REGION or a profile's region");
        }
    }

    private static AwsCredentialsProvider credentials(boolean emulator) {
        if (!emulator) {
            return DefaultCredentialsProvider.builder().build();
        }
        return AwsCredentialsProviderChain.of(SystemPropertyCredentialsProvider.create(),
                EnvironmentVariableCredentialsProvider.create(), ProfileCredentialsProvider.create(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("rigger-emulator", "rigger-emulator")));
    }

    private static boolean loopback(URI endpoint) {
        try {
            return InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
