package dev.rigger.agent.modules.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.step.ChmodStep;
import dev.rigger.agent.modules.step.ChownStep;
import dev.rigger.agent.modules.step.LinkTargets;
import dev.rigger.agent.modules.step.Owners;
import dev.rigger.agent.modules.step.WriteFileStep;
import dev.rigger.protocol.Diff;
import dev.rigger.protocol.ProtocolJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code copy}: writes given content to a file, atomically (in place where rename is refused, e.g. a
 * bind-mounted file).
 *
 * <p>Arguments: {@code dest}, exactly one of {@code content} (text, written as is) or {@code json} (any JSON
 * value, written compact as Jackson writes it, no trailing newline, so the bytes are stable), {@code owner?},
 * {@code group?}, {@code mode?}, {@code force?: true} (false: only create a missing file), {@code follow?: false}
 * (true: a symlink at {@code dest} is followed and its target written; false: a symlink there is refused, so a
 * user who can write the directory cannot point the agent at another file).
 * Data: {@code {dest, sha256}} of the file's content.
 * <pre>{@code {"module": "copy", "args": {"dest": "/host/files/seeds", "content": "172.30.0.11,172.30.0.12", "owner": 444}}}</pre>
 */
public final class CopyModule implements AgentModule {
    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        ModuleArgs args = new ModuleArgs(rawArgs);
        Path dest = Path.of(args.requiredString("dest"));
        byte[] wanted = content(args);
        String owner = args.principal("owner");
        String group = args.principal("group");
        Integer mode = args.mode("mode");
        boolean force = args.bool("force", true);
        boolean follow = args.bool("follow", false);
        try {
            Owners.requireKnown(owner, group);
            Path target = LinkTargets.destination(dest, follow, "write through it");
            byte[] current = LinkTargets.currentContent(target);
            boolean exists = current != null;
            List<Step> steps = new ArrayList<>();
            Diff diff = null;
            byte[] result = current;
            if (!exists || force && !Arrays.equals(current, wanted)) {
                steps.add(new WriteFileStep(target, wanted));
                diff = new Diff(current == null ? "" : text(current), text(wanted));
                result = wanted;
            }
            if ((owner != null || group != null) && (!exists || !Owners.ownerMatches(target, owner) || !Owners.groupMatches(target, group))) {
                steps.add(new ChownStep(target, owner, group, false));
            }
            if (mode != null && (!exists || Owners.mode(target) != mode)) {
                steps.add(new ChmodStep(target, mode, false));
            }
            var data = ModuleData.of("dest", dest.toString(), "sha256", sha256(result));
            String via = target.equals(dest) ? "" : " (-> " + target + ")";
            if (steps.isEmpty()) {
                return Plan.noop(exists && !force && !Arrays.equals(current, wanted)
                        ? dest + via + " exists and force is false; left as it is" : dest + via + " is up to date", data);
            }
            return Plan.change((exists ? "update " : "create ") + dest + via, steps, data).withDiff(diff);
        } catch (IOException e) {
            throw new ModuleException("cannot inspect " + dest + ": " + e.getMessage());
        }
    }

    private static byte[] content(ModuleArgs args) {
        boolean hasContent = args.has("content");
        boolean hasJson = args.raw("json") != null;
        if (hasContent == hasJson) {
            throw new ArgsException("args.content: give exactly one of content or json");
        }
        if (hasContent) {
            return args.requiredStringOrEmpty("content").getBytes(StandardCharsets.UTF_8);
        }
        try {
            return ProtocolJson.MAPPER.writeValueAsBytes(args.raw("json"));
        } catch (JsonProcessingException e) {
            throw new ArgsException("args.json: cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
