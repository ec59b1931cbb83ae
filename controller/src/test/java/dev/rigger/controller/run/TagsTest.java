package dev.rigger.controller.run;

import static dev.rigger.controller.run.ScriptedRun.hosts;
import static dev.rigger.controller.run.ScriptedRun.options;
import static dev.rigger.controller.run.ScriptedRun.play;
import static dev.rigger.controller.run.ScriptedRun.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.events.RunEvent;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --tags} runs only the tasks carrying one of them; {@code --skip-tags} never runs the tasks carrying one. */
class TagsTest {
    private static final String[] TASKS = {
        task("disk", "\"tags\": [\"storage\"]"),
        task("dns", "\"tags\": [\"network\"]"),
        task("both", "\"tags\": [\"storage\", \"network\"]"),
        task("untagged")};

    private static ScriptedConnector run(Set<String> tags, Set<String> skipTags) {
        ScriptedConnector hosts = new ScriptedConnector();
        ScriptedRun.run(hosts, play("all", "", TASKS), hosts("node1"), options(null, tags, skipTags, null));
        return hosts;
    }

    @Test
    void withoutTagsEveryTaskRuns() {
        assertThat(run(Set.of(), Set.of()).ranOn("node1")).containsExactly("disk", "dns", "both", "untagged");
    }

    @Test
    void withTagsOnlyTheTasksCarryingOneOfThemRun() {
        assertThat(run(Set.of("storage"), Set.of()).ranOn("node1")).containsExactly("disk", "both");
    }

    @Test
    void skippedTagsNeverRunEvenOnATaskThatAlsoCarriesAWantedTag() {
        assertThat(run(Set.of("network"), Set.of("storage")).ranOn("node1")).containsExactly("dns");
    }

    @Test
    void skippedTagsAloneLeaveTheUntaggedTasksIn() {
        assertThat(run(Set.of(), Set.of("network")).ranOn("node1")).containsExactly("disk", "untagged");
    }

    @Test
    void aTaskLeftOutByTagsIsNotReportedAtAll() {
        ScriptedConnector hosts = new ScriptedConnector();

        ScriptedRun run = ScriptedRun.run(hosts, play("all", "", TASKS), hosts("node1"),
                options(null, Set.of("network"), Set.of(), null));

        assertThat(run.events(RunEvent.TaskStarted.class)).extracting(RunEvent.TaskStarted::task)
                .containsExactly("dns", "both");
        assertThat(run.recap("node1").skipped()).isZero();
    }
}
