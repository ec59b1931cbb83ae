package dev.rigger.controller.modules.ec2;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/**
 * The SDK's waiters, polling every {@code pollSec} up to {@code waitTimeoutSec}. A waiter that ends in a
 * failure state (an instance that terminates while we wait for it to run) or times out becomes an
 * {@link Ec2Failure} naming what was awaited.
 */
final class Ec2Waits {
    private final Ec2Waiter waiter;

    Ec2Waits(Ec2Client ec2, Ec2Args a) {
        long poll = Math.max(a.pollMs(), 100);
        int attempts = (int) Math.max(1, a.waitTimeoutMs() / poll);
        this.waiter = Ec2Waiter.builder().client(ec2)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(poll)))
                        .maxAttempts(attempts)
                        .waitTimeout(Duration.ofMillis(a.waitTimeoutMs()))
                        .build())
                .build();
    }

    void instancesRunning(Collection<String> ids, String names) {
        check("wait until " + names + " run (" + String.join(", ", ids) + ")",
                () -> waiter.waitUntilInstanceRunning(r -> r.instanceIds(ids)));
    }

    void instancesStopped(Collection<String> ids, String names) {
        check("wait until " + names + " have stopped (" + String.join(", ", ids) + ")",
                () -> waiter.waitUntilInstanceStopped(r -> r.instanceIds(ids)));
    }

    void instancesTerminated(Collection<String> ids, String names) {
        check("wait until " + names + " are terminated (" + String.join(", ", ids) + ")",
                () -> waiter.waitUntilInstanceTerminated(r -> r.instanceIds(ids)));
    }

    void volumesAvailable(Collection<String> ids) {
        check("wait until volumes " + String.join(", ", ids) + " are available",
                () -> waiter.waitUntilVolumeAvailable(r -> r.volumeIds(ids)));
    }

    void volumesInUse(Collection<String> ids) {
        check("wait until volumes " + String.join(", ", ids) + " are in use",
                () -> waiter.waitUntilVolumeInUse(r -> r.volumeIds(ids)));
    }

    void volumesDeleted(Collection<String> ids) {
        check("wait until volumes " + String.join(", ", ids) + " are deleted",
                () -> waiter.waitUntilVolumeDeleted(r -> r.volumeIds(ids)));
    }

    /** A waiter throws when it times out or reaches a failure state; a matched error can also mean success (deleted). */
    private static void check(String what, Supplier<WaiterResponse<?>> wait) {
        Ec2Failure.call(what, wait);
    }
}
