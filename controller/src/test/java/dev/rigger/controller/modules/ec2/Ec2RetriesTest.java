package dev.rigger.controller.modules.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

class Ec2RetriesTest {

    private static Ec2Exception ec2(int status, String code, String message) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Test
    void throttlingIsRetriedAndTreatedAsThrottling() {
        Ec2Exception throttled = ec2(503, "RequestLimitExceeded", "Request limit exceeded.");

        assertThat(Ec2Retries.retryable(throttled)).isTrue();
        assertThat(Ec2Retries.throttling(throttled)).isTrue();
    }

    @Test
    void capacityIsLeftToTheLauncherEvenWhenEc2AnswersWithAServerError() {
        Ec2Exception capacity = ec2(500, "InsufficientInstanceCapacity", "We currently do not have sufficient capacity");

        assertThat(Ec2Retries.capacity(capacity)).isTrue();
        assertThat(Ec2Retries.retryable(capacity)).as("the SDK must not retry it behind the launcher's count").isFalse();
    }

    @Test
    void clientErrorsAreNotRetriedButServerAndNetworkErrorsAre() {
        assertThat(Ec2Retries.retryable(ec2(400, "InvalidParameterValue", "bad"))).isFalse();
        assertThat(Ec2Retries.retryable(ec2(400, "DependencyViolation", "in use"))).isFalse();
        assertThat(Ec2Retries.retryable(ec2(500, "InternalError", "oops"))).isTrue();
        assertThat(Ec2Retries.retryable(ec2(503, "Unavailable", "later"))).isTrue();
        assertThat(Ec2Retries.retryable(SdkClientException.create("reset", new IOException("Connection reset")))).isTrue();
        assertThat(Ec2Retries.retryable(SdkClientException.create("no credentials"))).isFalse();
    }

    @Test
    void aFailureNamesTheResourceAndTheEc2ErrorCode() {
        Ec2Failure f = Ec2Failure.of("RunInstances for ecs1-node2",
                ec2(500, "InsufficientInstanceCapacity", "We currently do not have sufficient m5.2xlarge capacity"));

        assertThat(f.getMessage()).isEqualTo("RunInstances for ecs1-node2: InsufficientInstanceCapacity: "
                + "We currently do not have sufficient m5.2xlarge capacity");
        assertThat(f.code()).isEqualTo("InsufficientInstanceCapacity");
    }
}
