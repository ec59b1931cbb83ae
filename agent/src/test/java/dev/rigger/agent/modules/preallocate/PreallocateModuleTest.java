package dev.rigger.agent.modules.preallocate;

import static dev.rigger.agent.testing.Modules.apply;
import static dev.rigger.agent.testing.Modules.check;
import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.facts.MountFacts;
import dev.rigger.agent.testing.LoopDevice;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.agent.testing.Sh;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.StepResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** preallocate on a real XFS filesystem (mkfs.xfs defaults: v5, crc=1) on a loop device, through the runner. */
class PreallocateModuleTest {
    static final long MIB = 1024L * 1024;
    static final long BIN = 256 * MIB;
    /** fiemap -v flags column, e.g. {@code 0x801}; holes have none */
    static final Pattern FIEMAP_FLAGS = Pattern.compile("^\\s*\\d+: \\[\\d+\\.\\.\\d+]:\\s+\\S+\\s+\\d+\\s+(0x[0-9a-f]+)\\s*$");

    @TempDir
    Path tmp;
    LoopDevice loop;
    Path mnt;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("losetup", "mkfs.xfs", "mount", "umount", "fallocate", "xfs_io", "xfs_db", "xfs_repair");
        loop = LoopDevice.create(3L << 30);
        Sh.ok("mkfs.xfs", "-q", loop.path());
        mnt = Files.createDirectory(tmp.resolve("uuid-test"));
        Sh.ok("mount", loop.path(), mnt.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) {
            loop.close();
        }
        if (mnt != null) {
            RemountNote.delete(mnt.toString());
        }
    }

    String args(String extra) {
        return "{\"path\":" + q(mnt.toString()) + ",\"binSizeGiB\":0.25" + extra + "}";
    }

    long expectedBins() throws Exception {
        return Files.getFileStore(mnt).getUsableSpace() / BIN - 1;
    }

    @Test
    void fillsTheFilesystemWithWrittenBinsKeepsItsDataAndASecondRunChangesNothing() throws Exception {
        byte[] marker = new byte[3 * (int) MIB];
        new Random(7).nextBytes(marker);
        Files.write(mnt.resolve("marker"), marker);
        String sum = sha256(marker);
        long expected = expectedBins();
        assertThat(expected).as("a 3 GiB disk holds several 256 MiB bins").isGreaterThan(5);

        ModuleResult r = apply("preallocate", args(",\"owner\":444,\"group\":444"));
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(r.data()).containsEntry("path", mnt.toString()).containsEntry("binSizeBytes", BIN)
                .containsEntry("bins", (int) expected).containsEntry("created", (int) expected);
        assertThat(r.steps()).extracting(StepResult::description).as("steps in order")
                .anyMatch(d -> d.startsWith("umount " + mnt)).anyMatch(d -> d.startsWith("xfs_db -x " + loop.path()))
                .anyMatch(d -> d.startsWith("xfs_repair -n " + loop.path())).anyMatch(d -> d.startsWith("mount " + mnt));
        assertThat(mountedFrom(mnt)).as("mounted again at the same path from the same device")
                .isEqualTo(BlockDeviceFacts.majMin(Path.of(loop.path())));

        for (int i = 0; i < expected; i++) {
            Path bin = mnt.resolve(String.format("%04d", i));
            assertThat(Files.size(bin)).as(bin + " size").isEqualTo(BIN);
            assertThat(unwrittenExtents(bin)).as(bin + " has no unwritten extent").isZero();
            assertThat(writtenBytes(bin)).as(bin + " is fully allocated").isEqualTo(BIN);
            assertThat(Files.getAttribute(bin, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(444);
            assertThat(Files.getAttribute(bin, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(444);
        }
        assertThat(mnt.resolve(String.format("%04d", expected))).as("no bin beyond the count").doesNotExist();
        assertThat(sha256(Files.readAllBytes(mnt.resolve("marker")))).as("data written before is intact").isEqualTo(sum);

        ModuleResult again = apply("preallocate", args(",\"owner\":444,\"group\":444"));
        assertThat(again.status()).as(again.msg()).isEqualTo(Status.OK);
        assertThat(again.changed()).isFalse();
        assertThat(again.msg()).isEqualTo(expected + " bins present in " + mnt + " (" + BIN + " bytes each, all extents written)");

        Sh.ok("umount", mnt.toString());
        var repair = Sh.any("xfs_repair", "-n", loop.path());
        assertThat(repair.exitCode()).as("xfs_repair -n: " + repair.stdout() + repair.stderr()).isZero();
    }

    @Test
    void checkModeOnAFreshFilesystemShowsTheOfflineStepsAndChangesNothing() throws Exception {
        long expected = expectedBins();
        ModuleResult r = check("preallocate", args(""));
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).startsWith("would allocate " + expected + " bins of " + BIN + " bytes");
        assertThat(r.data()).containsEntry("bins", (int) expected).containsEntry("created", (int) expected);
        List<String> steps = r.steps().stream().map(StepResult::description).toList();
        assertThat(steps).hasSize((int) expected + 4);
        assertThat(steps.subList((int) expected, steps.size())).satisfiesExactly(
                s -> assertThat(s).isEqualTo("umount " + mnt),
                s -> assertThat(s).startsWith("xfs_db -x " + loop.path()).contains("0000..").contains("extentflag 0"),
                s -> assertThat(s).isEqualTo("xfs_repair -n " + loop.path()),
                s -> assertThat(s).startsWith("mount " + mnt + " with the options it had"));
        try (var files = Files.list(mnt)) {
            assertThat(files.toList()).as("no bins after check mode").isEmpty();
        }
        assertThat(mountedFrom(mnt)).isNotNull();
    }

    @Test
    void aFilesystemStillMountedElsewhereIsNeverWrittenToAndIsMountedAgain() throws Exception {
        // a second mount stands for a container that binds the data disk: unmounting the path does not free it
        Path elsewhere = Files.createTempDirectory("prealloc-elsewhere");
        Sh.ok("mount", loop.path(), elsewhere.toString());
        try {
            ModuleResult r = apply("preallocate", args(""));

            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.msg()).contains("still mounted somewhere");
            assertThat(mountedFrom(mnt)).as("the path is mounted again").isNotBlank();
            assertThat(Files.list(mnt).filter(f -> f.getFileName().toString().matches("\\d{4}"))
                    .mapToInt(f -> unwrittenExtents(f)).sum()).as("no extent was converted").isPositive();
        } finally {
            Sh.ok("umount", elsewhere.toString());
            Files.deleteIfExists(elsewhere);
        }
    }

    @Test
    void aBinLeftUnwrittenByAnInterruptedRunIsConvertedByTheNextRun() throws Exception {
        long expected = expectedBins();
        Path first = mnt.resolve("0000");
        Sh.ok("fallocate", "-l", Long.toString(BIN), first.toString());
        assertThat(unwrittenExtents(first)).as("fallocate leaves unwritten extents").isPositive();

        ModuleResult r = apply("preallocate", args(""));
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(r.data()).containsEntry("bins", (int) expected).containsEntry("created", (int) expected - 1);
        assertThat(unwrittenExtents(first)).isZero();
        assertThat(apply("preallocate", args("")).changed()).isFalse();
    }

    @Test
    void aShortBinLeftByAKilledFallocateIsCompletedAndConverted() throws Exception {
        Path first = mnt.resolve("0000");
        Sh.ok("fallocate", "-l", Long.toString(100 * MIB), first.toString());
        String bySizeString = "{\"path\":" + q(mnt.toString()) + ",\"binSize\":\"256M\"}";

        ModuleResult r = apply("preallocate", bySizeString);
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).contains("complete the allocation of 1 short bins");
        assertThat(Files.size(first)).isEqualTo(BIN);
        assertThat(writtenBytes(first)).isEqualTo(BIN);
        assertThat(unwrittenExtents(first)).isZero();
        assertThat(apply("preallocate", bySizeString).changed()).isFalse();
    }

    @Test
    void aRunKilledWhileUnmountedIsCompletedByTheNextRunThroughTheFstabLine() throws Exception {
        long expected = expectedBins();
        Path fstab = Files.writeString(tmp.resolve("fstab"), loop.path() + " " + mnt + " xfs rw,noatime 0 0\n");
        Sh.ok("fallocate", "-l", Long.toString(BIN), mnt.resolve("0000").toString());
        Sh.ok("umount", mnt.toString());
        String withFstab = args(",\"fstabPath\":" + q(fstab.toString()));

        ModuleResult would = check("preallocate", withFstab);
        assertThat(would.status()).as(would.msg()).isEqualTo(Status.CHANGED);
        assertThat(would.msg()).isEqualTo("would mount " + mnt + " by its line in " + fstab + " (it is not mounted) and complete its bins");
        assertThat(mountedFrom(mnt)).as("check mode mounts nothing").isNull();

        ModuleResult r = apply("preallocate", withFstab);
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(r.data()).containsEntry("bins", (int) expected).containsEntry("created", (int) expected - 1);
        assertThat(mountedFrom(mnt)).isNotNull();
        assertThat(liveOptions(mnt)).as("mounted by the fstab line").contains("noatime");
        assertThat(unwrittenExtents(mnt.resolve("0000"))).isZero();
        assertThat(unwrittenExtents(mnt.resolve(String.format("%04d", expected - 1)))).isZero();
        assertThat(apply("preallocate", withFstab).changed()).isFalse();
    }

    @Test
    void aRunKilledWhileUnmountedIsCompletedThroughTheNoteItsUnmountLeft() throws Exception {
        Sh.ok("mount", "-o", "remount,noatime", mnt.toString());
        String options = liveOptions(mnt);
        Sh.ok("umount", mnt.toString());
        new RemountNote(loop.path(), "xfs", options).write(mnt.toString());

        ModuleResult r = apply("preallocate", args(""));
        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(mountedFrom(mnt)).isNotNull();
        assertThat(liveOptions(mnt)).as("mounted with the options it had").contains("noatime");
        assertThat(RemountNote.fileFor(mnt.toString())).as("the note is gone once mounted").doesNotExist();
        assertThat(unwrittenExtents(mnt.resolve("0000"))).isZero();
    }

    @Test
    void failsOnAPathThatIsNotMountedAndHasNoFstabLineNoteOrDevice() {
        Sh.ok("umount", mnt.toString());
        ModuleResult r = apply("preallocate", args(",\"fstabPath\":" + q(tmp.resolve("no-fstab").toString())));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(mnt + " is not mounted").contains("args.device");
    }

    @Test
    void refusesABinWhoseExtentsLiveInABtreeNamingItAndMountsTheFilesystemAgain() throws Exception {
        Path first = mnt.resolve("0000");
        Sh.ok("fallocate", "-l", Long.toString(BIN), first.toString());
        // written and unwritten extents never merge: 40 small writes split the bin into 81 extents
        List<String> argv = new ArrayList<>(List.of("xfs_io"));
        for (int i = 0; i < 40; i++) {
            argv.addAll(List.of("-c", "pwrite -q " + (i * 8192L) + " 4096"));
        }
        argv.add(first.toString());
        Sh.ok(argv.toArray(String[]::new));
        int before = unwrittenExtents(first);
        assertThat(before).isGreaterThan(30);

        ModuleResult r = apply("preallocate", args(""));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(first.toString()).contains("btree").contains("no extent was converted and " + mnt + " is mounted again");
        assertThat(mountedFrom(mnt)).isNotNull();
        assertThat(unwrittenExtents(first)).as("the btree bin is untouched").isEqualTo(before);
        assertThat(unwrittenExtents(mnt.resolve("0001"))).as("the bins allocated before the refusal are still unwritten").isPositive();
    }

    @Test
    void refusesAFilesystemThatIsNotXfs() throws Exception {
        Sh.ok("umount", mnt.toString());
        Sh.ok("mkfs.ext4", "-q", "-F", loop.path());
        Sh.ok("mount", loop.path(), mnt.toString());
        ModuleResult r = apply("preallocate", args(""));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(mnt + " holds a ext4 filesystem").contains("needs XFS");
    }

    @Test
    void refusesAFileNamedLikeABinThatIsBiggerThanABin() throws Exception {
        Sh.ok("fallocate", "-l", Long.toString(2 * BIN), mnt.resolve("0003").toString());
        ModuleResult r = apply("preallocate", args(""));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains(mnt.resolve("0003") + " is " + 2 * BIN + " bytes");
        try (var files = Files.list(mnt)) {
            assertThat(files.toList()).containsExactly(mnt.resolve("0003"));
        }
    }

    static int unwrittenExtents(Path file) {
        int n = 0;
        for (String line : Sh.ok("xfs_io", "-r", "-c", "fiemap -v", file.toString()).split("\n")) {
            Matcher m = FIEMAP_FLAGS.matcher(line);
            if (m.matches() && (Integer.parseInt(m.group(1).substring(2), 16) & 0x800) != 0) {
                n++;
            }
        }
        return n;
    }

    static long writtenBytes(Path file) {
        long sectors = 0;
        for (String line : Sh.ok("xfs_io", "-r", "-c", "fiemap -v", file.toString()).split("\n")) {
            Matcher m = FIEMAP_FLAGS.matcher(line);
            if (m.matches()) {
                sectors += Long.parseLong(line.trim().split("\\s+")[3]);
            }
        }
        return sectors * 512;
    }

    /** major:minor of what is mounted at the path, or null. */
    static String mountedFrom(Path mountpoint) {
        return MountFacts.collectInfo().stream().filter(m -> m.mountpoint().equals(mountpoint.toString()))
                .map(m -> m.majMin()).reduce((a, b) -> b).orElse(null);
    }

    static String liveOptions(Path mountpoint) {
        return MountFacts.collect().stream().filter(m -> m.mountpoint().equals(mountpoint.toString()))
                .map(m -> String.join(",", m.options())).reduce((a, b) -> b).orElseThrow();
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
