package dev.rigger.controller.modules.ec2;

import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A failed EC2 call, named by action and resource and carrying EC2's error code:
 * {@code RunInstances for ecs1-node2: InsufficientInstanceCapacity: We currently do not have …}. Only EC2's
 * own message travels on; credentials are never part of a request that is quoted.
 */
final class Ec2Failure extends RuntimeException {
    private final String code;

    Ec2Failure(String message, String code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    Ec2Failure(String message) {
        this(message, null, null);
    }

    /** EC2's error code, or null when the failure did not come from EC2. */
    String code() {
        return code;
    }

    static Ec2Failure of(String what, SdkException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            String code = aws.awsErrorDetails().errorCode();
            String message = aws.awsErrorDetails().errorMessage();
            return new Ec2Failure(what + ": " + (code == null ? "HTTP " + aws.statusCode() : code)
                    + (message == null || message.isBlank() ? "" : ": " + message), code, e);
        }
        return new Ec2Failure(what + ": " + e.getMessage(), null, e);
    }

    /** Runs one EC2 call and names it if it fails. */
    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (Ec2Failure e) {
            throw e;
        } catch (SdkException e) {
            throw of(what, e);
        }
    }

    static void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }
}
