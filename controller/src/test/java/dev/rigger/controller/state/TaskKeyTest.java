package dev.rigger.controller.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TaskKeyTest {

    @Test
    void aSlashInAnyNameGivesADifferentKeyForEachWayOfSplittingTheNames() {
        List<TaskKey> keys = List.of(TaskKey.of("site/db", "primary", "format"), TaskKey.of("site", "db/primary", "format"),
                TaskKey.of("site", "db", "primary/format"), TaskKey.of("site/db/primary", "x", "format"));

        Set<String> encoded = keys.stream().map(TaskKey::encoded).collect(Collectors.toSet());

        assertThat(encoded).hasSize(keys.size());
        assertThat(keys).allSatisfy(key -> assertThat(TaskKey.parse(key.encoded())).isEqualTo(key));
    }

    @Test
    void namesWithoutSlashOrTildeAreWrittenAsAnOlderRiggerWroteThem() {
        TaskKey key = TaskKey.of("Prepare ECS hosts", "prepare", "format it");

        assertThat(key.encoded()).isEqualTo("Prepare ECS hosts/prepare/format it").isEqualTo(key.legacy());
        assertThat(key.play().encoded()).isEqualTo("Prepare ECS hosts/prepare");
    }

    @Test
    void aNameThatLooksLikeAnEscapeStaysItself() {
        TaskKey key = TaskKey.of("~1", "a~0b", "/~");

        assertThat(key.encoded()).isEqualTo("~01/a~00b/~1~0");
        assertThat(TaskKey.parse(key.encoded())).isEqualTo(key);
    }

    @Test
    void aPlayKeyIsTheTaskKeyWithoutItsTask() {
        PlayKey play = new PlayKey("ops/site", "db/primary");

        assertThat(play.task("mount /data").encoded()).isEqualTo(play.encoded() + "/mount ~1data");
        assertThat(PlayKey.parse(play.encoded())).isEqualTo(play);
    }

    @Test
    void aKeyWithABrokenEscapeOrTheWrongNumberOfNamesIsRefused() {
        assertThatThrownBy(() -> TaskKey.parse("book/play/a~2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'~' must be followed by 0 or 1");
        assertThatThrownBy(() -> PlayKey.parse("book/play/task")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected playbook/play");
        assertThatThrownBy(() -> TaskKey.parse("task")).isInstanceOf(IllegalArgumentException.class);
    }
}
