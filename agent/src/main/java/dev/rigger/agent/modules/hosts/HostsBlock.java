package dev.rigger.agent.modules.hosts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The marked block of a hosts file that rigger owns. Lines outside the markers are never touched.
 * Entries are upserted by name, so one call per entry converges to the same block as one call for all.
 */
final class HostsBlock {
    static final String BEGIN = "# BEGIN rigger managed hosts";
    static final String END = "# END rigger managed hosts";

    record Entry(String ip, List<String> names) {
        String render() {
            return ip + " " + String.join(" ", names);
        }

        static Entry parse(String line) {
            String[] f = line.strip().split("\\s+");
            return new Entry(f[0], Arrays.asList(f).subList(1, f.length));
        }
    }

    private HostsBlock() {
    }

    /** The text with the entries present in the block (replacing lines that carry any of their names). */
    static String upsert(String text, List<Entry> entries) {
        return edit(text, block -> {
            for (Entry e : entries) {
                int at = -1;
                for (int i = block.size() - 1; i >= 0; i--) {
                    if (sharesName(block.get(i), e)) {
                        block.remove(i);
                        at = i;
                    }
                }
                block.add(at >= 0 ? Math.min(at, block.size()) : block.size(), e);
            }
            return block;
        });
    }

    /** The text without the entries' names in the block; with no entries, without the block. */
    static String remove(String text, List<Entry> entries) {
        return edit(text, block -> {
            if (entries.isEmpty()) {
                return List.of();
            }
            block.removeIf(line -> entries.stream().anyMatch(e -> sharesName(line, e)));
            return block;
        });
    }

    private static boolean sharesName(Entry line, Entry wanted) {
        return line.names().stream().anyMatch(wanted.names()::contains);
    }

    private interface BlockEdit {
        List<Entry> apply(List<Entry> block);
    }

    private static String edit(String text, BlockEdit edit) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int begin = lines.indexOf(BEGIN);
        int end = begin < 0 ? -1 : lines.subList(begin, lines.size()).indexOf(END) + begin;
        List<Entry> block = new ArrayList<>();
        if (begin >= 0 && end > begin) {
            lines.subList(begin + 1, end).stream().filter(l -> !l.isBlank() && !l.strip().startsWith("#"))
                    .map(Entry::parse).forEach(block::add);
            lines.subList(begin, end + 1).clear();
        } else {
            begin = lines.size();
        }
        List<Entry> result = edit.apply(block);
        if (!result.isEmpty()) {
            List<String> rendered = new ArrayList<>();
            rendered.add(BEGIN);
            result.forEach(e -> rendered.add(e.render()));
            rendered.add(END);
            lines.addAll(begin, rendered);
        }
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
