package dev.rigger.lab;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabOptionsTest {
    @Test
    void defaultsAreThreeNodesWithFourGibDisksUnderDotRigger() {
        LabOptions options = LabOptions.defaults();
        assertThat(options.name()).isEqualTo("rigger");
        assertThat(options.nodes()).isEqualTo(3);
        assertThat(options.diskBytes()).isEqualTo(4L << 30);
        assertThat(options.labDir()).isEqualTo(Path.of(".rigger/lab/rigger").toAbsolutePath());
    }

    @Test
    void withMethodsChangeOneField() {
        LabOptions options = LabOptions.defaults().withName("x1").withNodes(5).withDiskSize("512M")
                .withStateRoot(Path.of("/var/tmp/s"));
        assertThat(options).isEqualTo(new LabOptions("x1", 5, "512M", Path.of("/var/tmp/s")));
        assertThat(options.labDir()).isEqualTo(Path.of("/var/tmp/s/x1"));
    }

    @Test
    void nodesRunDockerdUnlessToldNotTo() {
        assertThat(LabOptions.defaults().docker()).isTrue();
        LabOptions lean = LabOptions.defaults().withDocker(false).withNodes(50).withName("b1");
        assertThat(lean.docker()).as("kept across the other with-methods").isFalse();
        assertThat(lean).isEqualTo(new LabOptions("b1", 50, "4G", LabOptions.DEFAULT_STATE_ROOT, false));
    }

    @Test
    void disksSizesReadLikeTruncate() {
        assertThat(DiskSize.bytes("4G")).isEqualTo(4L * 1024 * 1024 * 1024);
        assertThat(DiskSize.bytes("512M")).isEqualTo(512L * 1024 * 1024);
        assertThat(DiskSize.bytes("1GiB")).isEqualTo(1L << 30);
        assertThat(DiskSize.bytes("2097152")).isEqualTo(2097152L);
        assertThat(DiskSize.bytes("1T")).isEqualTo(1L << 40);
    }

    @Test
    void refusesNamesDockerCannotCarryAndSizesItCannotUse() {
        assertThatThrownBy(() -> LabOptions.defaults().withName("My Lab")).hasMessageContaining("'My Lab'");
        assertThatThrownBy(() -> LabOptions.defaults().withNodes(0)).hasMessageContaining("nodes must be");
        assertThatThrownBy(() -> LabOptions.defaults().withDiskSize("4Q")).hasMessageContaining("disk size '4Q'");
        assertThatThrownBy(() -> LabOptions.defaults().withDiskSize("12K")).hasMessageContaining("at least 1M");
    }
}
