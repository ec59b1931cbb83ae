package dev.rigger.controller.cli;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.protocol.facts.BlockDevice;
import dev.rigger.protocol.facts.HostFacts;
import dev.rigger.protocol.facts.NetInterface;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The human views of facts: one host described, or one line per host. */
final class FactsTable {
    private FactsTable() {
    }

    static void describe(PrintStream out, HostFacts f) {
        out.printf("host:      %s (%s)%n", f.hostname(), f.fqdn());
        if (f.os() != null) {
            out.printf("os:        %s %s, kernel %s, %s%n", f.os().name(), f.os().version(), f.os().kernel(), f.os().arch());
        }
        out.printf("cpu:       %d%nmemory:    %.1f GiB%n", f.cpuCount(), f.memTotalBytes() / (1024.0 * 1024 * 1024));
        if (f.defaultIpv4() != null) {
            out.printf("default:   %s %s via %s%n", f.defaultIpv4().interfaceName(), f.defaultIpv4().address(), f.defaultIpv4().gateway());
        }
        for (NetInterface n : f.interfaces()) {
            out.printf("nic:       %-8s %s%n", n.name(), n.ipv4().stream().map(a -> a.address() + "/" + a.prefix()).toList());
        }
        for (BlockDevice d : f.blockDevices()) {
            out.printf("disk:      %-10s %,d bytes %s%s%n", d.path(), d.sizeBytes(), d.fsType() == null ? "" : d.fsType(),
                    d.mountpoints() == null || d.mountpoints().isEmpty() ? "" : " on " + d.mountpoints());
        }
    }

    static void print(PrintStream out, List<FactsCommand.Answer> answers, JsonPointer filter) {
        List<List<String>> rows = new ArrayList<>();
        if (filter != null) {
            rows.add(List.of("HOST", "SOURCE", "AGE", filter.toString()));
            for (FactsCommand.Answer a : answers) {
                JsonNode v = a.facts().at(filter);
                rows.add(List.of(a.host(), a.source(), age(a.at()), v.isValueNode() ? v.asText() : v.toString()));
            }
        } else {
            rows.add(List.of("HOST", "SOURCE", "AGE", "OS", "CPUS", "MEMORY", "ADDRESS", "DISKS"));
            for (FactsCommand.Answer a : answers) {
                JsonNode f = a.facts();
                List<String> disks = new ArrayList<>();
                f.path("blockDevices").forEach(d -> disks.add(d.path("name").asText() + ":" + gib(d.path("sizeBytes").asLong())));
                rows.add(List.of(a.host(), a.source(), age(a.at()),
                        (f.path("os").path("name").asText("-") + " " + f.path("os").path("version").asText("")).strip(),
                        f.path("cpuCount").asText("-"), gib(f.path("memTotalBytes").asLong()),
                        f.path("defaultIpv4").path("address").asText("-"), String.join(" ", disks)));
            }
        }
        TextTable.print(out, rows);
    }

    private static String gib(long bytes) {
        return String.format("%.1fG", bytes / (1024.0 * 1024 * 1024));
    }

    private static String age(Instant at) {
        if (at == null) {
            return "-";
        }
        long s = Duration.between(at, Instant.now()).toSeconds();
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" : s / 3600 + "h";
    }
}
