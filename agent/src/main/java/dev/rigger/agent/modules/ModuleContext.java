package dev.rigger.agent.modules;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.facts.FactsCollector;
import dev.rigger.agent.facts.MountFacts;
import dev.rigger.agent.facts.MountInfoEntry;
import dev.rigger.protocol.facts.BlockDevice;
import dev.rigger.protocol.facts.HostFacts;
import java.util.List;
import java.util.Optional;

/**
 * The host as a module sees it while planning: facts are read when first asked for and kept for the
 * one plan, and probes are read-only commands. Nothing here changes the host.
 */
public final class ModuleContext {
    private List<MountInfoEntry> mountInfo;
    private List<BlockDevice> blockDevices;

    public HostFacts hostFacts() {
        return FactsCollector.collect();
    }

    public List<MountInfoEntry> mountInfo() {
        if (mountInfo == null) {
            mountInfo = MountFacts.collectInfo();
        }
        return mountInfo;
    }

    public List<BlockDevice> blockDevices() {
        if (blockDevices == null) {
            blockDevices = BlockDeviceFacts.collect(mountInfo());
        }
        return blockDevices;
    }

    /** A disk or partition by name or /dev path. */
    public Optional<BlockDevice> blockDevice(String nameOrPath) {
        return BlockDeviceFacts.find(blockDevices(), nameOrPath);
    }

    /** Runs a read-only command (blkid, dpkg-query, partx) for planning. */
    public CommandOutcome probe(String... argv) {
        return CommandRunner.probe(argv);
    }

    /** Short list of the disks seen, for error messages: {@code xvdf (4294967296 bytes), loop0 (...)}. */
    public String describeDisks() {
        List<BlockDevice> disks = blockDevices();
        if (disks.isEmpty()) {
            return "none";
        }
        return String.join(", ", disks.stream().map(d -> d.path() + " (" + d.sizeBytes() + " bytes)").toList());
    }
}
