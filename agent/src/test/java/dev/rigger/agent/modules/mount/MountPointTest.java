package dev.rigger.agent.modules.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigger.agent.modules.ModuleException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountPointTest {
    @TempDir
    Path tmp;

    @Test
    void missingDirectoriesAreMadeOneByOne() throws Exception {
        Path deep = tmp.resolve("ecs/uuid-1/data");
        assertThat(MountPoint.firstMissing(deep.toString())).isEqualTo(tmp.resolve("ecs"));
        MountPoint.create(deep.toString());
        assertThat(Files.isDirectory(deep, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(MountPoint.firstMissing(deep.toString())).isNull();
    }

    @Test
    void aLinkOnTheWayIsRefusedAndNothingIsMadeWhereItPoints() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path ecs = Files.createSymbolicLink(tmp.resolve("ecs"), elsewhere);
        assertThatThrownBy(() -> MountPoint.create(ecs.resolve("uuid-1").toString()))
                .isInstanceOf(ModuleException.class).hasMessageContaining(ecs + " is a symbolic link (to " + elsewhere + ")");
        assertThat(elsewhere.resolve("uuid-1")).doesNotExist();
    }

    @Test
    void aLinkInPlaceOfTheMountPointIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("uuid-1"), Files.createDirectory(tmp.resolve("target")));
        assertThatThrownBy(() -> MountPoint.create(link.toString())).hasMessageContaining(link + " is a symbolic link");
        assertThatThrownBy(() -> MountPoint.firstMissing(link.toString())).hasMessageContaining(link + " is a symbolic link");
    }

    @Test
    void aFileInPlaceOfADirectoryIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("ecs"), "x");
        assertThatThrownBy(() -> MountPoint.create(file.resolve("uuid-1").toString())).hasMessageContaining(file + " is not a directory");
    }

    @Test
    void onlyCanonicalAbsolutePathsAreMountPoints() {
        assertThat(MountPoint.canonical("/ecs/uuid-1")).isEqualTo("/ecs/uuid-1");
        assertThat(MountPoint.canonical("/ecs/.hidden")).isEqualTo("/ecs/.hidden");
        assertThat(MountPoint.canonical("/")).isEqualTo("/");
        for (String bad : new String[] {"", "ecs", "/ecs/", "/ecs//a", "/ecs/./a", "/ecs/../etc", "/ecs/.", "/ecs/.."}) {
            assertThatThrownBy(() -> MountPoint.canonical(bad)).as(bad).hasMessageStartingWith("args.path: expected a canonical absolute path");
        }
    }
}
