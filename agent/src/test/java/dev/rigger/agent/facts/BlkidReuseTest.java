package dev.rigger.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.testing.LoopDevice;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.agent.testing.Sh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A blkid answer is reused only while it shows a signature and nothing has written to the device. */
class BlkidReuseTest {
    LoopDevice loop;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("losetup", "blkid", "mkfs.xfs", "wipefs");
        loop = LoopDevice.create(300L * 1024 * 1024);
        BlkidFacts.forgetAll();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void aBlankDeviceIsProbedEveryTime() {
        long before = BlkidFacts.probes();
        assertThat(BlkidFacts.probe(loop.path())).isEmpty();
        assertThat(BlkidFacts.probe(loop.path())).isEmpty();
        assertThat(BlkidFacts.probes() - before).isEqualTo(2);
    }

    @Test
    void aSignatureIsReusedUntilTheDeviceIsWrittenAndThenTheNewContentIsSeen() {
        Sh.ok("mkfs.xfs", "-q", loop.path());
        long before = BlkidFacts.probes();
        assertThat(BlkidFacts.probe(loop.path())).containsEntry("TYPE", "xfs");
        assertThat(BlkidFacts.probe(loop.path())).containsEntry("TYPE", "xfs");
        assertThat(BlkidFacts.probes() - before).as("the second answer is the first one").isEqualTo(1);

        Sh.ok("wipefs", "-a", "-q", loop.path());   // wipefs writes through the device and syncs
        assertThat(BlkidFacts.probe(loop.path())).as("after a write the device is probed again").isEmpty();
        assertThat(BlkidFacts.probes() - before).isEqualTo(2);
    }

    @Test
    void aChangeTheAgentAppliesForgetsEveryAnswer() {
        Sh.ok("mkfs.xfs", "-q", loop.path());
        long before = BlkidFacts.probes();
        BlkidFacts.probe(loop.path());
        BlkidFacts.forgetAll();
        BlkidFacts.probe(loop.path());
        assertThat(BlkidFacts.probes() - before).isEqualTo(2);
    }
}
