package dev.rigger.controller.modules.ec2;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * One task's EC2 client: region and credentials from the SDK's default chains (the region argument
 * overrides, a {@code credentialsFile} argument replaces the credentials chain), the JDK's HTTP client, the
 * retry strategy of {@link Ec2Retries}, and a call counter.
 *
 * <p>An endpoint on loopback is the emulator: there the chains never ask the instance metadata service
 * (nothing on this side of it is an EC2 instance) and the region falls back to us-east-1. The emulator
 * verifies signatures against the key it wrote to its lab directory, so there is no placeholder key: without
 * credentials the task fails saying where that file is.
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
        AwsCredentialsProvider credentials = credentials(a, emulator);
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

    private static AwsCredentialsProvider credentials(Ec2Args a, boolean emulator) {
        if (a.credentialsFile() != null) {
            if (!Files.isReadable(a.credentialsFile())) {
                throw new Ec2Failure("ec2: args.credentialsFile " + a.credentialsFile() + " is not a readable file"
                        + (emulator ? " (the EC2 emulator writes <state>/lab/<lab>/ec2-credentials when it starts)" : ""));
            }
            return ProfileCredentialsProvider.builder()
                    .profileFile(ProfileFile.builder().content(a.credentialsFile()).type(ProfileFile.Type.CREDENTIALS).build())
                    .profileName("default").build();
        }
        if (!emulator) {
            return DefaultCredentialsProvider.builder().build();
        }
        return AwsCredentialsProviderChain.of(SystemPropertyCredentialsProvider.create(),
                EnvironmentVariableCredentialsProvider.create(), ProfileCredentialsProvider.create(), () -> {
                    throw new Ec2Failure("ec2: no credentials for the EC2 emulator at " + a.endpoint() + ": set"
                            + " args.credentialsFile (playbook var aws_credentials_file) to the file it wrote at start,"
                            + " <state>/lab/<lab>/ec2-credentials");
                });
    }

    private static boolean loopback(URI endpoint) {
        try {
            return InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
