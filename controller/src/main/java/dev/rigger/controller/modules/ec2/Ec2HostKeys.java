package dev.rigger.controller.modules.ec2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Polls the instances' console output until each shows its SSH host keys (cloud-init prints them late in
 * the boot, and EC2 updates the output only every few minutes), so the first SSH connection to a new host
 * can be verified instead of trusted.
 */
final class Ec2HostKeys {
    private Ec2HostKeys() {
    }

    /** Instance id -> its host keys, for every instance named in {@code names} (id -> node name). */
    static Map<String, List<String>> await(Ec2Client ec2, Ec2Args a, Map<String, String> names, Consumer<String> output)
            throws InterruptedException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        long deadline = System.nanoTime() + a.hostKeyTimeoutMs() * 1_000_000;
        boolean told = false;
        while (true) {
            for (Map.Entry<String, String> e : names.entrySet()) {
                if (!keys.containsKey(e.getKey())) {
                    String id = e.getKey();
                    String console = Ec2Failure.call("GetConsoleOutput for " + e.getValue() + " (" + id + ")",
                            () -> ec2.getConsoleOutput(r -> r.instanceId(id)).output());
                    List<String> found = ConsoleHostKeys.parse(ConsoleHostKeys.decode(console));
                    if (!found.isEmpty()) {
                        keys.put(id, found);
                    }
                }
            }
            if (keys.size() == names.size()) {
                return keys;
            }
            List<String> waiting = names.entrySet().stream().filter(e -> !keys.containsKey(e.getKey()))
                    .map(Map.Entry::getValue).toList();
            if (System.nanoTime() > deadline) {
                throw new Ec2Failure("GetConsoleOutput for " + String.join(", ", waiting) + ": no SSH host keys ("
                        + ConsoleHostKeys.BEGIN + ") in the console output after " + a.hostKeyTimeoutMs() / 1000
                        + " s; the hosts cannot be verified");
            }
            if (!told) {
                output.accept("waiting for the SSH host keys of " + String.join(", ", waiting) + " in the console output");
                told = true;
            }
            Thread.sleep(Math.max(a.pollMs(), 100));
        }
    }
}
