package dev.rigger.agent.modules.preallocate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.agent.exec.OutputSink;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.agent.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user who owns a mountpoint's root puts a link or a FIFO where a bin goes, right before it is allocated. */
class AllocateBinStepTest {
    private static final StepContext CTX = new StepContext(OutputSink.DISCARD, Instant.now().plusSeconds(60));
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path mnt;

    @Test
    void aBinIsCreatedAndAllocated() throws Exception {
        Prerequisites.requireBinaries("xfs_io");

        new AllocateBinStep(mnt, "0000", MIB).apply(CTX);

        assertThat(Files.size(mnt.resolve("0000"))).isEqualTo(MIB);
        assertThat(Long.parseLong(Sh.ok("stat", "-c", "%b", mnt.resolve("0000").toString()).strip()) * 512).isGreaterThanOrEqualTo(MIB);
    }

    @Test
    void aLinkWhereABinGoesIsRefusedAndItsTargetNotGrown() throws Exception {
        Prerequisites.requireBinaries("xfs_io");
        Path victim = Files.writeString(mnt.getParent().resolve(mnt.getFileName() + "-victim"), "root:x:0:0\n");
        try {
            Files.createSymbolicLink(mnt.resolve("0001"), victim);
            String blocksBefore = Sh.ok("stat", "-c", "%b %s", victim.toString());

            assertThatThrownBy(() -> new AllocateBinStep(mnt, "0001", MIB).apply(CTX)).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining(mnt.resolve("0001") + " is a symbolic link");

            assertThat(Files.readString(victim)).isEqualTo("root:x:0:0\n");
            assertThat(Sh.ok("stat", "-c", "%b %s", victim.toString())).as("blocks and size").isEqualTo(blocksBefore);
        } finally {
            Files.deleteIfExists(victim);
        }
    }

    @Test
    void aFifoWhereABinGoesIsRefusedWithoutWaitingOnIt() throws Exception {
        Prerequisites.requireBinaries("xfs_io", "mkfifo");
        Sh.ok("mkfifo", mnt.resolve("0002").toString());

        assertThatThrownBy(() -> new AllocateBinStep(mnt, "0002", MIB).apply(CTX)).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("not a regular file");
    }
}
