package dev.rigger.agent.modules.preallocate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.facts.MountFacts;
import dev.rigger.agent.facts.MountInfoEntry;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.step.Owners;
import dev.rigger.protocol.facts.BlockDevice;
import dev.rigger.protocol.facts.MountFact;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code preallocate}: fills a mounted XFS filesystem with fixed-size "block bin" files the way ECS
 * expects them ({@code 0000}, {@code 0001}, ... at its root), fully allocated and with every extent marked
 * written, so reads of never-written regions are not answered as zeros by the filesystem and first writes
 * pay no unwritten-to-written conversion.
 *
 * <p>Arguments: {@code path} (the mountpoint), {@code binSizeGiB?: 10} (a number; fractions allowed, e.g.
 * 0.25) or instead {@code binSize} (a size: "256M", "10G" or bytes), either way a whole number of filesystem
 * blocks, {@code spare?: 1} (bins' worth of space
 * left free), {@code owner?}, {@code group?} (e.g. 444; left alone when absent), {@code device?} (default:
 * what is mounted at {@code path}), {@code fstabPath?: "/etc/fstab"}.
 *
 * <p>Count = floor((available bytes + bytes already held by bins) / bin size) - spare, so a second run
 * counts the same. Bins are never removed. Missing or short bins are allocated ({@link AllocateBinStep}); then
 * the filesystem is unmounted, the unwritten flags are cleared with xfs_db ({@link ConvertExtentsStep}),
 * {@code xfs_repair -n} must be clean, and it is mounted again by its fstab line, else with the options it
 * had. A run killed in between leaves bins with unwritten extents (converted by the next run) or an
 * unmounted path (mounted again by the next run, see {@link MountAgain}).
 * Data: {@code {path, binSizeBytes, bins, created}}.
 * <pre>{@code {"module": "preallocate", "args": {"path": "/ecs/uuid-{{ part.partuuid }}", "binSizeGiB": 10,
 *   "spare": 1, "owner": 444, "group": 444}}}</pre>
 */
public final class PreallocateModule implements AgentModule {
    private static final Comparator<String> BY_NUMBER = Comparator.comparingLong(Long::parseLong);

    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        PreallocateOptions o = PreallocateOptions.parse(rawArgs);
        try {
            Owners.requireKnown(o.owner(), o.group());
        } catch (UserPrincipalNotFoundException e) {
            throw new ArgsException("args.owner/group: " + e.getName() + " is not a user or group on this host");
        } catch (IOException e) {
            throw new ModuleException("cannot look up args.owner/group: " + e.getMessage());
        }
        MountInfoEntry live = ctx.mountInfo().stream().filter(m -> m.mountpoint().equals(o.path()))
                .reduce((a, b) -> b).orElse(null);   // the last one is the one on top
        if (live == null) {
            return planMountFirst(rawArgs, o);
        }
        if (!"xfs".equals(live.fsType())) {
            throw new ModuleException(o.path() + " holds a " + live.fsType() + " filesystem from " + live.source()
                    + "; preallocate marks extents written with xfs_db and needs XFS");
        }
        return planMounted(o, live, deviceOf(o, live, ctx));
    }

    private Plan planMounted(PreallocateOptions o, MountInfoEntry live, String device) {
        Path mnt = Path.of(o.path());
        long avail;
        long blockSize;
        try {
            FileStore store = Files.getFileStore(mnt);
            avail = store.getUsableSpace();
            blockSize = store.getBlockSize();
        } catch (IOException e) {
            throw new ModuleException("cannot read free space of " + mnt + ": " + e.getMessage());
        }
        long bin = o.binSizeBytes();
        if (bin % blockSize != 0) {
            throw new ArgsException("args.binSizeGiB/binSize: a bin of " + bin + " bytes is not a whole number of the "
                    + blockSize + "-byte blocks of " + mnt);
        }
        List<BinFile> existing = BinFile.survey(mnt);
        long held = 0;
        for (BinFile b : existing) {
            if (b.sizeBytes() > bin) {
                throw new ModuleException(b.file() + " is " + b.sizeBytes() + " bytes, more than a bin of " + bin
                        + " bytes (args.binSizeGiB); it is not a bin of this size, so the bins of " + mnt + " are left alone");
            }
            held += b.map().allocatedBytes();
        }
        long count = Math.max(0, (avail + held) / bin - o.spare());

        TreeSet<String> names = new TreeSet<>(BY_NUMBER);
        existing.forEach(b -> names.add(b.name()));
        List<String> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!names.contains(BinFile.nameOf(i))) {
                created.add(BinFile.nameOf(i));
            }
        }
        TreeSet<String> allocate = new TreeSet<>(BY_NUMBER);
        allocate.addAll(created);
        existing.stream().filter(b -> !b.complete(bin)).forEach(b -> allocate.add(b.name()));
        TreeSet<String> convert = new TreeSet<>(allocate);
        existing.stream().filter(BinFile::hasUnwritten).forEach(b -> convert.add(b.name()));
        names.addAll(created);
        List<String> chown = needOwner(o, existing, created);

        List<Step> steps = new ArrayList<>();
        List<String> did = new ArrayList<>();
        for (String name : allocate) {
            steps.add(new AllocateBinStep(mnt, name, bin));
        }
        if (!created.isEmpty()) {
            did.add("allocate " + created.size() + " bins of " + bin + " bytes (" + Bins.range(created) + ") in " + mnt);
        }
        if (allocate.size() > created.size()) {
            did.add("complete the allocation of " + (allocate.size() - created.size()) + " short bins");
        }
        if (!convert.isEmpty()) {
            MountAgain again = MountAgain.forMounted(o, device, liveOptions(o.path(), live));
            List<String> list = List.copyOf(convert);
            steps.add(new UnmountStep(o.path(), new RemountNote(device, "xfs", liveOptions(o.path(), live))));
            steps.add(new ConvertExtentsStep(device, o.path(), list, again));
            steps.add(new RepairCheckStep(device, o.path()));
            steps.add(new RemountStep(again));
            did.add("mark the extents of " + list.size() + " bins written (" + mnt + " unmounted meanwhile)");
        }
        if (!chown.isEmpty()) {
            steps.add(new ChownBinsStep(mnt, chown, o.owner(), o.group()));
            did.add("chown " + chown.size() + " bins");
        }
        Map<String, Object> data = ModuleData.of("path", o.path(), "binSizeBytes", bin, "bins", names.size(),
                "created", created.size());
        if (steps.isEmpty()) {
            return Plan.noop(names.size() + " bins present in " + mnt + " (" + bin + " bytes each, all extents written)", data);
        }
        return Plan.change(String.join(", ", did), steps, data);
    }

    /** The path is not mounted: an interrupted run, or nothing mounted it yet. Mount it, then plan the bins. */
    private Plan planMountFirst(ObjectNode rawArgs, PreallocateOptions o) {
        MountAgain again = MountAgain.forUnmounted(o).orElseThrow(() -> new ModuleException(o.path()
                + " is not mounted, has no line in " + o.fstab() + " and no earlier run noted its device in "
                + RemountNote.fileFor(o.path()) + "; mount it first or give args.device"));
        ResumeStep resume = new ResumeStep(rawArgs, o.path());
        Map<String, Object> data = ModuleData.of("path", o.path(), "binSizeBytes", o.binSizeBytes(),
                "bins", Plan.KNOWN_AFTER_APPLY, "created", Plan.KNOWN_AFTER_APPLY);
        return Plan.change("mount " + o.path() + " " + again.how() + " (it is not mounted) and complete its bins",
                        List.of(new RemountStep(again), resume), data)
                .withDataAfterApply(applied -> resume.data() != null ? resume.data() : data);
    }

    private static List<String> needOwner(PreallocateOptions o, List<BinFile> existing, List<String> created) {
        List<String> out = new ArrayList<>();
        if (o.owner() == null && o.group() == null) {
            return out;
        }
        for (BinFile b : existing) {
            try {
                if (!Owners.ownerMatches(b.file(), o.owner()) || !Owners.groupMatches(b.file(), o.group())) {
                    out.add(b.name());
                }
            } catch (IOException e) {
                throw new ModuleException("cannot read the owner of " + b.file() + ": " + e.getMessage());
            }
        }
        out.addAll(created);
        out.sort(BY_NUMBER);
        return out;
    }

    /** The device node for xfs_db: args.device if it is the mounted one, else the mount's source, else a node with its number. */
    private static String deviceOf(PreallocateOptions o, MountInfoEntry live, ModuleContext ctx) {
        String majMin = live.majMin();
        if (o.device() != null) {
            String mm = BlockDeviceFacts.liveMajMin(Path.of(o.device()));
            if (mm == null) {
                throw new ModuleException("args.device " + o.device() + " is not a block device on this host");
            }
            if (!mm.equals(majMin)) {
                throw new ModuleException(o.path() + " has " + live.source() + " (" + majMin + ") mounted, not args.device "
                        + o.device() + " (" + mm + ")");
            }
            return o.device();
        }
        String source = live.source();
        if (source.startsWith("/") && majMin.equals(BlockDeviceFacts.liveMajMin(Path.of(source)))) {
            return source;
        }
        // in a container the mount source may name a node that exists only on the host: find one by number
        for (BlockDevice disk : ctx.blockDevices()) {
            List<BlockDevice> all = new ArrayList<>(disk.partitions());
            all.add(disk);
            for (BlockDevice d : all) {
                if (majMin.equals(d.majMin()) && majMin.equals(BlockDeviceFacts.liveMajMin(Path.of(d.path())))) {
                    return d.path();
                }
            }
        }
        throw new ModuleException(o.path() + " is mounted from " + source + " (" + majMin
                + ") but no device node here has that number; give args.device");
    }

    /** The options the mount has, as /proc/self/mounts lists them (per-mount and filesystem options together). */
    private static String liveOptions(String path, MountInfoEntry live) {
        return MountFacts.collect().stream().filter(m -> m.mountpoint().equals(path)).reduce((a, b) -> b)
                .map(MountFact::options).map(opts -> String.join(",", opts)).orElse(live.options());
    }
}
