package dev.rigger.agent.modules.disk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.facts.BlkidFacts;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.protocol.facts.BlockDevice;
import java.util.List;
import java.util.Map;

/**
 * {@code disk}: finds the data disk; never changes anything.
 *
 * <p>Arguments: {@code select: {name?: "xvdf"|"/dev/nvme1n1", serial?: "vol-0abc..", size?: "4G"|bytes,
 * auto?: true, minSize?: "100G"}}. {@code auto} wants exactly one disk that is unmounted, unpartitioned,
 * not held, blank (blkid, asked again, is sure it finds no signature) and at least {@code minSize}; on later runs, the one
 * disk that carries a GPT label with exactly one partition (what {@code partition} made of it), not mounted on a
 * system directory, is that disk, even if a blank one was attached since. Blank means no signature blkid
 * knows: data in a format blkid does not recognise looks blank. Data: {@code {name, path, sizeBytes, serial, model}}.
 * <pre>{@code {"module": "disk", "args": {"select": {"serial": "vol-0abc1234"}}, "register": "data"}}</pre>
 */
public final class DiskModule implements AgentModule {
    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        DiskSelector selector = DiskSelector.from(new ModuleArgs(rawArgs));
        List<BlockDevice> disks = ctx.blockDevices();
        Map<BlockDevice, String> rejected = selector.rejections(disks);
        if (selector.auto()) {
            // blank in the facts may mean a probe that gave up or signatures blkid cannot choose between: ask again
            disks.stream().filter(d -> !rejected.containsKey(d)).forEach(d -> {
                BlkidFacts.Inspection inspection = BlkidFacts.inspect(d.path());
                if (!inspection.blank()) {
                    rejected.put(d, inspection.unsure() != null ? inspection.unsure()
                            : "holds a " + inspection.values().getOrDefault("TYPE", inspection.values().get("PTTYPE")) + " signature");
                }
            });
        }
        List<BlockDevice> matches = disks.stream().filter(d -> !rejected.containsKey(d)).toList();
        List<BlockDevice> prepared = selector.preparedEarlier(disks);
        if (prepared.size() == 1) {
            // the disk an earlier run chose and partitioned wins over any blank disk attached since
            matches = prepared;
        } else if (prepared.size() > 1) {
            throw new ModuleException(prepared.size() + " disks already carry one GPT partition each ("
                    + String.join(", ", prepared.stream().map(BlockDevice::path).toList())
                    + "), so auto cannot tell which one it prepared; select by name or serial");
        }
        if (matches.size() == 1) {
            BlockDevice d = matches.get(0);
            return Plan.noop("selected " + d.path(), ModuleData.of("name", d.name(), "path", d.path(),
                    "sizeBytes", d.sizeBytes(), "serial", d.serial(), "model", d.model()));
        }
        if (matches.isEmpty() && !selector.auto()) {
            throw new ModuleException("no disk matches select " + selector.describe() + "; disks seen: " + ctx.describeDisks());
        }
        if (matches.isEmpty()) {
            StringBuilder b = new StringBuilder("no disk fits select " + selector.describe() + "; candidates: ");
            rejected.forEach((d, why) -> b.append(d.path()).append(" (").append(why).append("); "));
            throw new ModuleException(disks.isEmpty() ? b + "none" : b.substring(0, b.length() - 2));
        }
        throw new ModuleException(matches.size() + " disks match select " + selector.describe() + ": "
                + String.join(", ", matches.stream().map(BlockDevice::path).toList())
                + "; narrow it down (name, serial or size)");
    }
}
