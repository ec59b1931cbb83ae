package dev.rigger.agent.modules.preallocate;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.exec.OutputSink;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the unwritten extents of the bins into written ones without writing their data, on the unmounted
 * device: xfs_db in expert mode clears {@code u3.bmx[K].extentflag} of each unwritten extent in the inode's
 * data fork, and recomputes the v5 inode CRC as it writes. This replaces the byte offsets the ECS script
 * poked with dd, which only fit 256-byte v4 inodes in AG 0.
 *
 * <p>Everything is read and checked before anything is written. A bin whose extents live in a btree
 * (too many extents for the inode) is refused, and the filesystem is mounted again before failing, since
 * nothing was changed. After writing, the inodes are read again: every flag must be 0 and every CRC correct.
 */
final class ConvertExtentsStep implements Step {
    private final String device;
    private final String path;
    private final List<String> bins;
    private final MountAgain mountAgain;

    ConvertExtentsStep(String device, String path, List<String> bins, MountAgain mountAgain) {
        this.device = device;
        this.path = path;
        this.bins = List.copyOf(bins);
        this.mountAgain = mountAgain;
    }

    @Override
    public String description() {
        return "xfs_db -x " + device + ": write u3.bmx[K].extentflag 0 for each unwritten extent of "
                + Bins.range(bins) + " (" + bins.size() + " bins)";
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        long start = System.nanoTime();
        StringBuilder log = new StringBuilder();
        Map<String, Long> inodes;
        Map<String, InodeFork> before;
        try {
            inodes = inodesOf(ctx, log);
            before = read(ctx, inodes, log);
        } catch (StepFailedException e) {
            throw refuse(ctx, e.getMessage(), log, start);
        }
        List<String> refusals = new ArrayList<>();
        List<String> writes = new ArrayList<>();
        int extents = 0;
        for (String bin : bins) {
            InodeFork fork = before.get(bin);
            String where = path + "/" + bin;
            if (!inodes.containsKey(bin)) {
                refusals.add(where + " is not in the root directory of " + device);
            } else if (fork == null) {
                refusals.add(where + " (inode " + inodes.get(bin) + "): xfs_db printed no data fork for it");
            } else if (!fork.inInode()) {
                refusals.add(where + " (inode " + fork.inode() + ") keeps its " + fork.nextents() + " extents in a "
                        + fork.formatName() + " (core.format = " + fork.format() + "), not in the inode's u3.bmx, so its "
                        + "unwritten flags cannot be cleared in the inode; it needs fewer extents (free space is too "
                        + "fragmented for bins of this size)");
            } else if (!fork.crcCorrect()) {
                refusals.add(where + " (inode " + fork.inode() + ") has a bad CRC before any change; run xfs_repair");
            } else if (fork.extents().size() != fork.nextents()) {
                refusals.add(where + " (inode " + fork.inode() + "): core.nextents = " + fork.nextents() + " but xfs_db printed "
                        + fork.extents().size() + " extents");
            } else if (!fork.unwritten().isEmpty()) {
                writes.addAll(List.of("-c", "inode " + fork.inode()));
                for (InodeFork.Extent e : fork.unwritten()) {
                    writes.addAll(List.of("-c", "write u3.bmx[" + e.index() + "].extentflag 0"));
                    extents++;
                }
            }
        }
        String live = stillActive();
        if (live != null) {
            refusals.add(live);
        }
        if (!refusals.isEmpty()) {
            throw refuse(ctx, String.join("; ", refusals), log, start);
        }
        if (!writes.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("xfs_db", "-x"));
            argv.addAll(writes);
            argv.add(device);
            try {
                run(ctx, argv, log);
            } catch (StepFailedException e) {
                throw new StepFailedException(e.getMessage() + "; " + path + " is left unmounted, check it with xfs_repair -n "
                        + device + " (the next run mounts it again and converts what is left)", e.result());
            }
        }
        Map<String, InodeFork> after = read(ctx, inodes, log);
        List<String> wrong = new ArrayList<>();
        for (String bin : bins) {
            InodeFork fork = after.get(bin);
            if (fork == null || !fork.crcCorrect() || !fork.unwritten().isEmpty()) {
                wrong.add(bin + (fork == null ? " (unreadable)" : !fork.crcCorrect() ? " (bad CRC)"
                        : " (" + fork.unwritten().size() + " extents still unwritten)"));
            }
        }
        if (!wrong.isEmpty()) {
            throw new StepFailedException("after xfs_db wrote " + device + " these bins of " + path + " are not right: "
                    + String.join(", ", wrong) + "; " + path + " is left unmounted, check it with xfs_repair -n " + device,
                    result(1, log, start));
        }
        log.append("cleared the unwritten flag of ").append(extents).append(" extents in ").append(bins.size()).append(" bins\n");
        return result(0, log, start);
    }

    private Map<String, Long> inodesOf(StepContext ctx, StringBuilder log) throws StepFailedException {
        CommandOutcome out = run(ctx, List.of("xfs_db", "-r", "-c", "ls /", device), log);
        return InodeFork.parseRootListing(out.stdout());
    }

    private Map<String, InodeFork> read(StepContext ctx, Map<String, Long> inodes, StringBuilder log) throws StepFailedException {
        List<String> argv = new ArrayList<>(List.of("xfs_db", "-r"));
        for (String bin : bins) {
            if (inodes.containsKey(bin)) {
                argv.addAll(InodeFork.printCommands(bin, inodes.get(bin)));
            }
        }
        if (argv.size() == 2) {
            return Map.of();
        }
        argv.add(device);
        // output would stream thousands of lines for large bins; the summary is what the log needs
        CommandOutcome out = CommandRunner.run(CommandSpec.of(argv), OutputSink.DISCARD, ctx.deadline());
        if (!out.ok() && out.stdout().isBlank()) {
            throw new StepFailedException("xfs_db -r " + device + " exited with " + out.exitCode() + ": " + out.summary(),
                    new StepResult(description(), argv, out.exitCode(), log.toString(), out.stderr(), out.tookMs()));
        }
        return InodeFork.parseAll(out.stdout());
    }

    private CommandOutcome run(StepContext ctx, List<String> argv, StringBuilder log) throws StepFailedException {
        CommandOutcome out = CommandRunner.run(CommandSpec.of(argv), ctx.output(), ctx.deadline());
        log.append(out.stdout());
        // xfs_db exits 0 after a failed write ("index 3 for field bmx out of range"); in expert mode any complaint fails
        if (!out.ok() || (argv.contains("-x") && !out.stderr().isBlank())) {
            throw new StepFailedException(argv.get(0) + " " + argv.get(1) + " " + device + " exited with " + out.exitCode()
                    + ": " + out.summary(), new StepResult(description(), argv, out.exitCode(), log.toString(), out.stderr(), out.tookMs()));
        }
        return out;
    }

    /** Nothing was written: mount the filesystem again so that a refusal does not leave it offline. */
    private StepFailedException refuse(StepContext ctx, String why, StringBuilder log, long start) {
        try {
            mountAgain.requireRealMountPoint();
        } catch (ModuleException e) {
            return new StepFailedException("cannot convert bins on " + device + ": " + why + "; no extent was converted, and "
                    + path + " is not mounted again: " + e.getMessage(), result(1, log, start));
        }
        CommandOutcome mount = CommandRunner.run(CommandSpec.of(mountAgain.argv()), ctx.output(), ctx.deadline());
        String after;
        if (mount.ok()) {
            RemountNote.delete(path);
            after = "no extent was converted and " + path + " is mounted again";
        } else {
            after = "no extent was converted, but mounting " + path + " again failed (" + String.join(" ", mountAgain.argv())
                    + ": " + mount.summary() + ")";
        }
        return new StepFailedException("cannot convert bins on " + device + ": " + why + "; " + after, result(1, log, start));
    }

    private StepResult result(int exit, StringBuilder log, long start) {
        return new StepResult(description(), argv(), exit, log.toString(), "", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * xfs_db may only write to a filesystem that no mount namespace has mounted: unmounting here does not
     * unmount it in another namespace (a container that bind-mounts it, e.g. ECS's /ecs:/dae). The kernel
     * keeps /sys/fs/xfs/<device> while the filesystem is mounted anywhere.
     */
    private String stillActive() {
        try {
            Path node = Path.of(device).toRealPath();
            String majMin = new String(new ProcessBuilder("stat", "-L", "-c", "%t:%T", node.toString())
                    .redirectErrorStream(true).start().getInputStream().readAllBytes()).strip();
            String[] hex = majMin.split(":");
            String sysName = Path.of("/sys/dev/block", Integer.parseInt(hex[0], 16) + ":"
                    + Integer.parseInt(hex[1], 16)).toRealPath().getFileName().toString();
            if (Files.exists(Path.of("/sys/fs/xfs", sysName))) {
                return device + " is still mounted somewhere (/sys/fs/xfs/" + sysName + " exists, e.g. inside a container"
                        + " that binds " + path + "); stop what uses it before preallocating";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot tell whether " + device + " is still mounted elsewhere (" + e.getMessage() + "); refusing to write";
        }
    }
}

