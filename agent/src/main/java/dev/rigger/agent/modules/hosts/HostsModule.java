package dev.rigger.agent.modules.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.step.LinkTargets;
import dev.rigger.agent.modules.step.WriteFileStep;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rigger.protocol.Diff;
import dev.rigger.protocol.facts.FactShapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hosts}: keeps a marked block ({@code # BEGIN rigger managed hosts} .. {@code # END ...}) of a hosts file.
 *
 * <p>Arguments: {@code entries: [{ip, names: [..]}]} and/or {@code lines} (text in the hosts file's own
 * format, "IP name...", one entry a line: what a template's for-loop over a group builds, so one call
 * carries every node instead of a loop of one call per node), {@code path?: "/etc/hosts"},
 * {@code state?: present|absent}.
 * Present upserts each entry by name (a line sharing a name is replaced), so a loop of one entry per call
 * converges; absent removes the entries' names, or the whole block when {@code entries} is an empty list and
 * there are no {@code lines} (lines that render empty remove nothing). A
 * container's /etc/hosts is a bind mount that cannot be renamed over, so the write falls back to in place.
 * Data: {@code {path, entries}} (the number of entries in the block).
 * <pre>{@code {"module": "hosts", "args": {"entries": [{"ip": "172.30.0.11", "names": ["node1.ecs.lab", "node1"]}]}}}</pre>
 * <pre>{@code {"module": "hosts", "args": {"lines": "{% for h in groups['all'] %}{{ hostvars[h].facts.defaultIpv4.address }} {{ h }}\n{% endfor %}"}}}</pre>
 */
public final class HostsModule implements AgentModule {
    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        ModuleArgs args = new ModuleArgs(rawArgs);
        Path path = Path.of(args.string("path", "/etc/hosts"));
        String state = args.choice("state", "present", "present", "absent");
        List<HostsBlock.Entry> entries = entries(args, state.equals("present"));
        String before;
        try {
            // never through a link: the write would refuse it, so the plan does too, and a diff shows no other file
            byte[] current = LinkTargets.currentContent(path);
            before = current == null ? "" : new String(current, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModuleException("cannot read " + path + ": " + e.getMessage());
        }
        // only an explicit "entries": [] removes the whole block: lines rendered from an empty group remove nothing
        boolean wholeBlock = entries.isEmpty() && args.raw("entries") != null && args.raw("entries").isArray()
                && (args.raw("lines") == null || args.raw("lines").isNull());
        String after = state.equals("present") ? HostsBlock.upsert(before, entries)
                : entries.isEmpty() && !wholeBlock ? before : HostsBlock.remove(before, entries);
        var data = ModuleData.of("path", path.toString(), "state", state);
        if (after.equals(before)) {
            return Plan.noop(path + " already has the " + (state.equals("present") ? "entries" : "entries removed"), data);
        }
        return Plan.change((state.equals("present") ? "add/update " : "remove ") + entries.size() + " entries in " + path,
                List.of(new WriteFileStep(path, after.getBytes(StandardCharsets.UTF_8))), data).withDiff(new Diff(before, after));
    }

    private static List<HostsBlock.Entry> entries(ModuleArgs args, boolean required) {
        JsonNode list = args.raw("entries");
        JsonNode lines = args.raw("lines");
        boolean noList = list == null || list.isNull();
        boolean noLines = lines == null || lines.isNull();
        if (noList && noLines) {
            if (required) {
                throw new ArgsException("args.entries: required (or args.lines)");
            }
            return List.of();
        }
        List<HostsBlock.Entry> out = new ArrayList<>();
        List<String> wheres = new ArrayList<>();
        if (!noList) {
            if (!list.isArray()) {
                throw new ArgsException("args.entries: expected a list of {ip, names}, got " + list);
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode e = list.get(i);
                String where = "args.entries[" + i + "]";
                JsonNode names = e.path("names");
                if (!names.isArray() || names.isEmpty()) {
                    checkIp(where + ".ip", e.get("ip"));
                    throw new ArgsException(where + ".names: expected a non-empty list of host names, got " + e.get("names"));
                }
                List<String> n = new ArrayList<>();
                for (JsonNode name : names) {
                    if (!name.isTextual()) {
                        throw new ArgsException(where + ".names: expected host names, got " + name);
                    }
                    n.add(name.asText());
                }
                out.add(entry(where + ".ip", where + ".names", e.get("ip"), n));
                wheres.add(where);
            }
        }
        if (!noLines) {
            if (!lines.isTextual()) {
                throw new ArgsException("args.lines: expected text, one \"IP name...\" entry a line, got " + lines);
            }
            String[] text = lines.asText().split("\n");
            for (int i = 0; i < text.length; i++) {
                String line = text[i].strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\\s+");
                String where = "args.lines, line " + (i + 1);
                if (fields.length < 2) {
                    throw new ArgsException(where + ": expected \"IP name...\", got " + FactShapes.quote(line));
                }
                String quoted = where + " (" + FactShapes.quote(line) + ")";
                out.add(entry(quoted, quoted, new TextNode(fields[0]), List.of(fields).subList(1, fields.length)));
                wheres.add(where);
            }
        }
        refuseNamesGivenTwice(out, wheres);
        return out;
    }

    /**
     * One name on two entries would leave the block to the last one: with lines rendered from facts, that
     * is how a host's report could take another host's name, so it is refused rather than picked.
     */
    private static void refuseNamesGivenTwice(List<HostsBlock.Entry> entries, List<String> wheres) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            for (String name : entries.get(i).names()) {
                Integer before = first.putIfAbsent(name, i);
                if (before != null && before != i) {
                    throw new ArgsException(wheres.get(i) + ": the name " + name + " is already given to "
                            + entries.get(before).ip() + " by " + wheres.get(before));
                }
            }
        }
    }

    private static HostsBlock.Entry entry(String ipWhere, String namesWhere, JsonNode ip, List<String> names) {
        checkIp(ipWhere, ip);
        for (String name : names) {
            if (!FactShapes.isHostName(name)) {
                throw new ArgsException(namesWhere + ": expected host names (RFC 1123), got " + FactShapes.quote(name));
            }
        }
        return new HostsBlock.Entry(ip.asText(), names);
    }

    /** An IP literal, parsed as text: nothing is resolved, and a newline, comma or second field is refused. */
    private static void checkIp(String where, JsonNode ip) {
        if (ip == null || !ip.isTextual() || !FactShapes.isIpAddress(ip.asText())) {
            throw new ArgsException(where + ": expected an IP address, got "
                    + (ip != null && ip.isTextual() ? FactShapes.quote(ip.asText()) : String.valueOf(ip)));
        }
    }
}
