package dev.rigger.agent.modules.preallocate;

import dev.rigger.agent.facts.MountFacts;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.mount.MountPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the filesystem is mounted again after its bins were converted offline: by its fstab line when it has
 * one (so fstab stays the one truth), else with the device, type and options it had.
 *
 * @param fstab   the fstab file holding a line for the path, or null when mounting by options
 * @param how     for people: {@code by its line in /etc/fstab}, {@code with the options it had}
 */
record MountAgain(String path, Path fstab, String device, String type, String options, String how) {

    static MountAgain byFstab(String path, Path fstab) {
        return new MountAgain(path, fstab, null, null, null, "by its line in " + fstab);
    }

    static MountAgain byOptions(String path, String device, String type, String options, String how) {
        return new MountAgain(path, null, device, type, options, how);
    }

    /** For a mounted filesystem: by fstab if it has a line there, else as it is mounted now. */
    static MountAgain forMounted(PreallocateOptions o, String device, String liveOptions) {
        if (hasFstabLine(o.fstab(), o.path())) {
            return byFstab(o.path(), o.fstab());
        }
        return byOptions(o.path(), device, "xfs", liveOptions, "with the options it had");
    }

    /**
     * For a path an interrupted run left unmounted: its fstab line, else the note the unmount step left in
     * {@link RemountNote}, else {@code args.device} with default options.
     */
    static Optional<MountAgain> forUnmounted(PreallocateOptions o) {
        if (hasFstabLine(o.fstab(), o.path())) {
            return Optional.of(byFstab(o.path(), o.fstab()));
        }
        Optional<RemountNote> note = RemountNote.read(o.path());
        if (note.isPresent()) {
            RemountNote n = note.get();
            return Optional.of(byOptions(o.path(), n.device(), n.type(), n.options(),
                    "with the options it had before an interrupted run unmounted it"));
        }
        if (o.device() != null) {
            return Optional.of(byOptions(o.path(), o.device(), "xfs", "defaults", "from args.device"));
        }
        return Optional.empty();
    }

    /**
     * Refuses unless the mount point is still a real directory: while the filesystem was offline, whoever may
     * write its parent (ECS's user owns /ecs) could have put a link in its place, and mount would follow it.
     */
    void requireRealMountPoint() {
        MountPoint.requireExisting(path);
    }

    List<String> argv() {
        List<String> argv = new ArrayList<>(List.of("mount"));
        if (fstab != null) {
            if (!fstab.equals(PreallocateOptions.DEFAULT_FSTAB)) {
                argv.addAll(List.of("--fstab", fstab.toString()));
            }
            argv.add(path);
            return argv;
        }
        argv.addAll(List.of("-t", type, "-o", options, device, path));
        return argv;
    }

    static boolean hasFstabLine(Path fstab, String path) {
        if (!Files.exists(fstab)) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(fstab, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s+");
                if (f.length >= 2 && MountFacts.unescape(f[1]).equals(path)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new ModuleException("cannot read " + fstab + ": " + e.getMessage());
        }
    }
}
