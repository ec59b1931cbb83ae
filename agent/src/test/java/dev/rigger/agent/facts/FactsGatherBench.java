package dev.rigger.agent.facts;

import dev.rigger.protocol.facts.HostFacts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-agent gather time on this machine: the first gather, then the median and p90 of N warm ones, and
 * each collector's median. A benchmark, not a test: it asserts nothing and prints its figures.
 * <pre>{@code
 * mvn -q -o -pl agent test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp agent/target/test-classes:agent/target/classes:$(cat agent/target/cp.txt) dev.rigger.agent.facts.FactsGatherBench 50
 * }</pre>
 */
public final class FactsGatherBench {
    private static final int WARM_UP = 20;

    private FactsGatherBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long t0 = System.nanoTime();
        HostFacts first = FactsCollector.collect();
        System.out.printf("first gather: %.1f ms (%d block devices with %d partitions, %d mounts, %d interfaces)%n",
                (System.nanoTime() - t0) / 1e6, first.blockDevices().size(),
                first.blockDevices().stream().mapToInt(d -> d.partitions().size()).sum(),
                first.mounts().size(), first.interfaces().size());
        for (int i = 0; i < WARM_UP; i++) {
            FactsCollector.collect();
        }
        double[] ms = new double[n];
        Map<String, List<Long>> took = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            HostFacts f = FactsCollector.collect();
            ms[i] = (System.nanoTime() - s) / 1e6;
            f.collectors().forEach((name, st) -> took.computeIfAbsent(name, k -> new ArrayList<>()).add(st.tookMs()));
        }
        Arrays.sort(ms);
        System.out.printf("%d warm gathers: p50 %.1f ms, p90 %.1f ms, max %.1f ms%n", n, ms[n / 2], ms[n * 9 / 10], ms[n - 1]);
        took.forEach((name, list) -> {
            list.sort(Long::compare);
            System.out.printf("  %-12s p50 %d ms%n", name, list.get(list.size() / 2));
        });
    }
}
