package dev.rigger.lab;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** down must find what a crashed up left behind, with or without the state file. */
@Tag("lab")
class LabDownTest {
    @TempDir
    Path stateRoot;

    @Test
    void detachesLoopDevicesUnderTheLabsDisksEvenWithoutAStateFile() {
        LabPrerequisites.require();
        Lab lab = Lab.of(LabOptions.defaults().withName("labdowntest").withStateRoot(stateRoot));
        LoopDevices loops = new LoopDevices();
        Path disk = lab.diskFile("node1");
        loops.createSparse(disk, 16L << 20);
        String device = loops.attach(disk);
        try {
            assertThat(Files.exists(lab.options().labDir().resolve(LabStateStore.FILE))).isFalse();
            assertThat(loops.deviceOf(disk)).contains(device);

            lab.down(line -> { });

            assertThat(loops.deviceOf(disk)).isEmpty();
            assertThat(loops.list()).noneMatch(a -> a.device().equals(device) && a.backingFile().startsWith(stateRoot));
            assertThat(lab.options().labDir()).doesNotExist();
        } finally {
            if (loops.list().stream().anyMatch(a -> a.device().equals(device) && a.backingFile().startsWith(stateRoot))) {
                loops.detach(device);
            }
        }
    }

    @Test
    void detachesALoopDeviceWhoseDiskFileWasAlreadyDeleted() throws Exception {
        LabPrerequisites.require();
        Lab lab = Lab.of(LabOptions.defaults().withName("labdowntest").withStateRoot(stateRoot));
        LoopDevices loops = new LoopDevices();
        Path disk = lab.diskFile("node2");
        loops.createSparse(disk, 16L << 20);
        String device = loops.attach(disk);
        Files.delete(disk);
        try {
            assertThat(loops.under(lab.disksDir())).anyMatch(a -> a.device().equals(device) && a.backingFileDeleted());

            lab.down(line -> { });

            assertThat(loops.list()).noneMatch(a -> a.device().equals(device) && a.backingFile().startsWith(stateRoot));
        } finally {
            if (loops.list().stream().anyMatch(a -> a.device().equals(device) && a.backingFile().startsWith(stateRoot))) {
                loops.detach(device);
            }
        }
    }
}
