package dev.rigger.agent.modules.partition;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.facts.BlkidFacts;
import dev.rigger.agent.facts.MountFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A disk's partition table as read from the disk itself ({@code blkid -p} for the label,
 * {@code partx --raw} for the entries), so it is right even where the kernel has not registered the
 * partitions (no rescan on some kernels, no udev in containers). Both tools are util-linux, on every host.
 */
record PartitionTable(String label, List<Entry> partitions) {
    record Entry(int number, String uuid, String name) {
    }

    static PartitionTable read(String disk) {
        String label = BlkidFacts.probe(disk).get("PTTYPE");
        if (label == null) {
            return new PartitionTable(null, List.of());
        }
        // partx exits 1 on a table without entries, which is an empty list here
        CommandOutcome out = CommandRunner.probe("partx", "--raw", "--noheadings", "-o", "NR,UUID,NAME", disk);
        return new PartitionTable(label, out.ok() ? parse(out.stdout()) : List.of());
    }

    /** {@code partx --raw --noheadings -o NR,UUID,NAME}: one line per partition, blanks escaped as \x20. */
    static List<Entry> parse(String partxRaw) {
        List<Entry> entries = new ArrayList<>();
        for (String line : partxRaw.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 1 || !f[0].matches("\\d+")) {
                continue;
            }
            String uuid = f.length > 1 && !f[1].isEmpty() ? f[1].toLowerCase(Locale.ROOT) : null;
            String name = f.length > 2 ? MountFacts.unescape(f[2].replace("\\x20", " ")) : null;
            entries.add(new Entry(Integer.parseInt(f[0]), uuid, name));
        }
        return entries;
    }
}
