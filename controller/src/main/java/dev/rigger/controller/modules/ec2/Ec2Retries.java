package dev.rigger.controller.modules.ec2;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Which EC2 failures the SDK retries by itself: throttling (EC2's {@code RequestLimitExceeded}) with a long
 * backoff and many attempts, and transient server and network errors. Capacity errors are deliberately
 * not among them: {@link Ec2Launcher} retries a launch a counted number of times, so a run that cannot get
 * capacity fails in a bounded time and names the node.
 */
final class Ec2Retries {
    static final int MAX_ATTEMPTS = 12;

    static final Set<String> CAPACITY_CODES = Set.of("InsufficientInstanceCapacity", "InsufficientHostCapacity",
            "InsufficientReservedInstanceCapacity", "InsufficientCapacity", "InsufficientVolumeCapacity");

    private static final Set<String> THROTTLING_CODES = Set.of("RequestLimitExceeded", "Throttling",
            "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
            "TooManyRequestsException", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
            "BandwidthLimitExceeded");

    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "InternalFailure", "ServiceUnavailable",
            "Unavailable", "RequestTimeout", "RequestTimeoutException", "RequestExpired");

    private Ec2Retries() {
    }

    static RetryStrategy strategy() {
        return StandardRetryStrategy.builder()
                .retryOnException(Ec2Retries::retryable)
                .treatAsThrottling(Ec2Retries::throttling)
                .maxAttempts(MAX_ATTEMPTS)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(5)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(20)))
                // the circuit breaker gives up early under sustained throttling, the very case retries are for
                .circuitBreakerEnabled(false)
                .build();
    }

    static boolean throttling(Throwable t) {
        return t instanceof AwsServiceException e
                && (e.isThrottlingException() || THROTTLING_CODES.contains(code(e)));
    }

    static boolean capacity(Throwable t) {
        return t instanceof AwsServiceException e && CAPACITY_CODES.contains(code(e));
    }

    static boolean retryable(Throwable t) {
        if (capacity(t)) {
            return false;
        }
        if (throttling(t)) {
            return true;
        }
        if (t instanceof AwsServiceException e) {
            int status = e.statusCode();
            return TRANSIENT_CODES.contains(code(e)) || status == 500 || status == 502 || status == 503 || status == 504;
        }
        return t instanceof SdkClientException && t.getCause() instanceof IOException;
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
