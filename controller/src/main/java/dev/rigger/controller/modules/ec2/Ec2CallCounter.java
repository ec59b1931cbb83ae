package dev.rigger.controller.modules.ec2;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the EC2 calls one task makes (one per API call, by action) and the HTTP requests they took, so
 * the cost of a run, and of retries under throttling, can be read from its result.
 */
final class Ec2CallCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(action == null ? "?" : action, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        requests.incrementAndGet();
    }

    int calls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** HTTP requests sent: calls plus their retries. */
    int requests() {
        return requests.get();
    }

    Map<String, Integer> byAction() {
        Map<String, Integer> sorted = new TreeMap<>();
        calls.forEach((k, v) -> sorted.put(k, v.get()));
        return sorted;
    }
}
