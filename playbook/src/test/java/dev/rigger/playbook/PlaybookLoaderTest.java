package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {

    private final PlaybookLoader loader = new PlaybookLoader();

    private static String resource(String name) throws IOException {
        try (InputStream in = PlaybookLoaderTest.class.getResourceAsStream("/playbooks/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The problems of a playbook that must not load. */
    private List<Problem> problemsOf(String json) {
        PlaybookException e = catchThrowableOfType(PlaybookException.class,
                () -> loader.load(json, "pb.json", Map.of()));
        assertThat(e).as("the playbook should have been refused").isNotNull();
        return e.problems();
    }

    /** A one-play playbook around the given task lines; tasks start on line 4. Columns in the tests were checked with Python's str.index. */
    private static String withTasks(String... tasks) {
        return "{\"name\": \"t\",\n"
                + " \"plays\": [{\"name\": \"p\", \"hosts\": \"all\",\n"
                + "  \"tasks\": [\n"
                + String.join(",\n", tasks) + "\n"
                + "]}]}\n";
    }

    @Test
    void loadsAPlaybookThatUsesEveryModuleWithItsDefaultsFilledIn() throws Exception {
        Playbook playbook = loader.load(resource("every-module.json"), "every-module.json", Map.of());

        assertThat(playbook.name()).isEqualTo("every module once");
        assertThat(playbook.vars()).containsEntry("ecs_owner", 444).containsEntry("data_disk", "xvdf");
        assertThat(playbook.inventory().hosts()).containsOnlyKeys("node1", "node2");
        DeclaredHost node2 = playbook.inventory().hosts().get("node2");
        assertThat(node2.port()).isEqualTo(2222);
        assertThat(node2.user()).isEqualTo("admin");
        assertThat(playbook.inventory().hosts().get("node1").port()).as("no port: the SSH default").isNull();
        assertThat(playbook.inventory().groups()).containsEntry("ecs", List.of("node1", "node2"))
                .containsEntry("all", List.of("node1", "node2"));

        Play prepare = playbook.plays().get(0);
        assertThat(prepare.strategy()).isEqualTo(Play.Strategy.FREE);
        assertThat(prepare.forks()).isEqualTo(10);
        assertThat(prepare.maxFailPercent()).isEqualTo(34);
        assertThat(prepare.tasks()).extracting(Task::module).containsExactly("facts", "disk", "partition",
                "filesystem", "mount", "file", "copy", "hosts", "package", "command", "wait_for", "docker_image",
                "docker_container");
        Task format = prepare.tasks().get(3);
        assertThat(format.pointer()).isEqualTo("/plays/0/tasks/3");
        assertThat(format.retries()).isEqualTo(2);
        assertThat(format.delaySec()).isEqualTo(0.5);
        assertThat(format.timeoutSec()).isEqualTo(600);
        assertThat(prepare.tasks().get(0).args()).as("a task without args gets an empty object").isEmpty();
        assertThat(prepare.tasks().get(2).when()).isEqualTo("data.sizeBytes > 0 and facts.os.family == 'debian'");
        assertThat(prepare.tasks().get(9).loop().isArray()).isTrue();

        Play prep = playbook.plays().get(1);
        assertThat(prep.strategy()).as("default strategy").isEqualTo(Play.Strategy.LINEAR);
        assertThat(prep.forks()).as("default forks").isEqualTo(20);
        assertThat(prep.maxFailPercent()).as("default: never abort").isEqualTo(100);
        Task ecs = prep.tasks().get(0);
        assertThat(ecs.retries()).isZero();
        assertThat(ecs.delaySec()).isEqualTo(1);
        assertThat(ecs.timeoutSec()).isNull();
        assertThat(ecs.ignoreErrors()).isFalse();
        assertThat(ecs.pointer()).isEqualTo("/plays/1/tasks/0");
    }

    @Test
    void namesTheLineColumnAndEnclosingElementOfBrokenJson() {
        List<Problem> problems = problemsOf("{\"name\": \"t\",\n  \"plays\": [ {\"name\": \"p\",} ]}");

        assertThat(problems).hasSize(1);
        Problem p = problems.get(0);
        assertThat(p.pointer()).isEqualTo("/plays/0/name");
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.column()).isEqualTo(27);
        assertThat(p.message()).startsWith("invalid JSON: Unexpected character ('}'");
    }

    @Test
    void refusesAPropertyWrittenTwice() {
        Problem p = problemsOf("{\"name\": \"t\",\n \"name\": \"u\", \"plays\": []}").get(0);

        assertThat(p.pointer()).isEqualTo("/name");
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.message()).contains("Duplicate field 'name'");
    }

    @Test
    void listsTheKnownModulesWhenTheModuleIsUnknown() {
        List<Problem> problems = problemsOf(withTasks(
                "    {\"name\": \"find\", \"module\": \"dsik\", \"args\": {}}"));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).toString()).isEqualTo("pb.json:4:32: /plays/0/tasks/0/module: unknown module"
                + " 'dsik'; known: command, copy, disk, docker_container, docker_image, ec2, ecs, facts, file,"
                + " filesystem, hosts, mount, package, partition, preallocate, service, wait_for");
    }

    @Test
    void pointsAtTheObjectThatLacksARequiredProperty() {
        List<Problem> problems = problemsOf(withTasks(
                "    {\"name\": \"ok\", \"module\": \"facts\"},",
                "    {\"name\": \"part\", \"module\": \"partition\",",
                "     \"args\": {\"force\": true}}").replace(",,", ","));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/plays/0/tasks/1/args");
            assertThat(p.line()).isEqualTo(6);
            assertThat(p.column()).isEqualTo(14);
            assertThat(p.message()).isEqualTo("missing required property 'device'");
        });
    }

    @Test
    void pointsAtAnUnknownPropertyAndSaysWhichAreAllowed() {
        Problem p = problemsOf(withTasks(
                "    {\"name\": \"fs\", \"module\": \"filesystem\",",
                "     \"args\": {\"device\": \"/dev/xvdf1\", \"type\": \"xfs\", \"froce\": true}}").replace(",,", ",")).get(0);

        assertThat(p.pointer()).isEqualTo("/plays/0/tasks/0/args/froce");
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.column()).isEqualTo(54);
        assertThat(p.message()).isEqualTo("unknown property 'froce'; expected one of: device, type, force, opts");
    }

    @Test
    void foldsTheAlternativesOfATemplatableValueIntoOneProblem() {
        List<Problem> problems = problemsOf(withTasks(
                "    {\"name\": \"fs\", \"module\": \"filesystem\", \"args\": {\"device\": \"/dev/x\", \"type\": \"xfs\", \"force\": \"yes\"}}"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/plays/0/tasks/0/args/force");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.column()).isEqualTo(97);
            assertThat(p.message()).isEqualTo("expected true, false, \"held\" or a {{ template }}, found \"yes\"");
        });
    }

    @Test
    void acceptsATemplateWhereAnotherTypeIsExpected() throws Exception {
        String json = withTasks(
                "    {\"name\": \"fs\", \"module\": \"filesystem\", \"args\": {\"device\": \"/dev/x\", \"type\": \"{{ fs }}\", \"force\": \"{{ wipe }}\"}}");

        Playbook playbook = loader.load(json, "pb.json", Map.of("fs", "xfs", "wipe", false));

        assertThat(playbook.plays().get(0).tasks().get(0).args().get("force").asText()).isEqualTo("{{ wipe }}");
    }

    @Test
    void saysWhenCopyHasBothOrNeitherOfContentAndJson() {
        List<Problem> problems = problemsOf(withTasks(
                "    {\"name\": \"both\", \"module\": \"copy\", \"args\": {\"dest\": \"/x\", \"content\": \"a\", \"json\": {}}},",
                "    {\"name\": \"neither\", \"module\": \"copy\", \"args\": {\"dest\": \"/x\"}}").replace(",,", ","));

        assertThat(problems).extracting(Problem::pointer, Problem::line, Problem::message).containsExactly(
                tuple("/plays/0/tasks/0/args", 4, "expected exactly one of 'content' or 'json'"),
                tuple("/plays/0/tasks/1/args", 5, "expected exactly one of 'content' or 'json'"));
    }

    @Test
    void keepsTheProblemInsideAnAlternativeThatWasMeant() {
        Problem p = problemsOf(withTasks(
                "    {\"name\": \"peers\", \"module\": \"hosts\", \"args\": {\"entries\": [{\"ip\": \"10.0.0.1\", \"names\": []}]}}")).get(0);

        assertThat(p.pointer()).isEqualTo("/plays/0/tasks/0/args/entries/0/names");
        assertThat(p.message()).isEqualTo("expected a list of at least one name or a {{ template }}, found an empty list");
    }

    @Test
    void namesAnUnknownTemplateVariableWithTheLineOfItsString() {
        List<Problem> problems = problemsOf(withTasks(
                "    {\"name\": \"disk\", \"module\": \"disk\", \"args\": {\"select\": {\"auto\": true}}, \"register\": \"data\"},",
                "    {\"name\": \"part\", \"module\": \"partition\",",
                "     \"args\": {\"device\": \"{{ dta.path }}\"}}").replace(",,", ","));

        assertThat(problems).singleElement().hasToString(
                "pb.json:6:25: /plays/0/tasks/1/args/device: unknown variable 'dta' in \"{{ dta.path }}\";"
                        + " did you mean 'data'?");
    }

    @Test
    void refusesARegisteredResultReadBeforeTheTaskThatRegistersIt() {
        List<Problem> problems = problemsOf(withTasks(
                "    {\"name\": \"part\", \"module\": \"partition\", \"args\": {\"device\": \"{{ data.path }}\"}},",
                "    {\"name\": \"disk\", \"module\": \"disk\", \"args\": {\"select\": {\"auto\": true}}, \"register\": \"data\"}")
                .replace(",,", ","));

        assertThat(problems).extracting(Problem::pointer).containsExactly("/plays/0/tasks/0/args/device");
    }

    @Test
    void acceptsRegisteredResultsOfEarlierPlaysAndExtraVars() throws Exception {
        String json = "{\"name\": \"t\", \"plays\": [\n"
                + " {\"name\": \"a\", \"hosts\": \"all\", \"tasks\": [{\"name\": \"d\", \"module\": \"disk\", \"args\": {\"select\": {\"auto\": true}}, \"register\": \"data\"}]},\n"
                + " {\"name\": \"b\", \"hosts\": \"all\", \"tasks\": [{\"name\": \"p\", \"module\": \"partition\", \"args\": {\"device\": \"{{ data.path }}\", \"force\": \"{{ wipe }}\"}}]}\n"
                + "]}";

        Playbook playbook = loader.load(json, "pb.json", Map.of("wipe", "true"));

        assertThat(playbook.plays()).hasSize(2);
    }

    @Test
    void knowsItemOnlyInsideATaskThatLoops() {
        List<Problem> problems = problemsOf(withTasks(
                "    {\"name\": \"a\", \"module\": \"command\", \"args\": {\"argv\": [\"echo\", \"{{ item }}\"]}, \"loop\": [1, 2]},",
                "    {\"name\": \"b\", \"module\": \"command\", \"args\": {\"argv\": [\"echo\", \"{{ item }}\"]}}").replace(",,", ","));

        assertThat(problems).extracting(Problem::pointer, Problem::message).containsExactly(
                tuple("/plays/0/tasks/1/args/argv/1", "unknown variable 'item' in \"{{ item }}\""));
    }

    @Test
    void checksWhenAndLoopTooAndWantsWhenWithoutBraces() {
        List<Problem> problems = problemsOf(withTasks(
                "    {\"name\": \"a\", \"module\": \"facts\", \"when\": \"skip_disk == false\"},",
                "    {\"name\": \"b\", \"module\": \"facts\", \"loop\": \"{{ disks }}\"},",
                "    {\"name\": \"c\", \"module\": \"facts\", \"when\": \"{{ x }}\"}").replace(",,", ","));

        assertThat(problems).extracting(Problem::pointer, Problem::line, Problem::message).containsExactly(
                tuple("/plays/0/tasks/0/when", 4, "unknown variable 'skip_disk' in \"skip_disk == false\""),
                tuple("/plays/0/tasks/1/loop", 5, "unknown variable 'disks' in \"{{ disks }}\""),
                tuple("/plays/0/tasks/2/when", 6,
                        "write 'when' as a bare expression, without {{ }} or {% %}: data.sizeBytes > 0"));
    }

    @Test
    void refusesARegisterNameThatTheRunReserves() {
        Problem p = problemsOf(withTasks(
                "    {\"name\": \"a\", \"module\": \"facts\", \"register\": \"facts\"}")).get(0);

        assertThat(p.pointer()).isEqualTo("/plays/0/tasks/0/register");
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.column()).isEqualTo(50);
        assertThat(p.message()).startsWith("'facts' is reserved; register under another name");
    }

    @Test
    void reportsEveryProblemAtOnceInFileOrder() {
        List<Problem> problems = problemsOf("{\"name\": \"t\", \"colour\": 1,\n"
                + " \"plays\": [{\"name\": \"p\", \"hosts\": \"all\", \"forks\": 0, \"tasks\": [\n"
                + "   {\"name\": \"a\", \"module\": \"mount\", \"args\": {\"path\": \"/x\", \"device\": \"/dev/x\"}}]}]}");

        assertThat(problems).extracting(Problem::toString).containsExactly(
                "pb.json:1:15: /colour: unknown property 'colour'; expected one of: $schema, name, vars, inventory, maskVars, plays",
                "pb.json:2:51: /plays/0/forks: must be at least 1, found 0",
                "pb.json:3:45: /plays/0/tasks/0/args: missing required property 'type'");
    }

    @Test
    void namesAMissingFileAsTheUserGaveIt(@TempDir Path dir) {
        PlaybookException e = catchThrowableOfType(PlaybookException.class,
                () -> loader.load(dir.resolve("nope.json"), Map.of()));

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("no such file"));
    }

    @Test
    void loadsFromAFileAndNamesItInProblems(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.json");
        Files.writeString(file, withTasks("    {\"name\": \"a\", \"module\": \"nope\"}"));

        PlaybookException e = catchThrowableOfType(PlaybookException.class, () -> loader.load(file, Map.of()));

        assertThat(e.getMessage()).startsWith(file + ":4:29: /plays/0/tasks/0/module: unknown module 'nope'");
    }

    @Test
    void checksTemplatesInsideVarsAgainstEveryNameThePlaybookDefines() {
        List<Problem> problems = problemsOf("{\"name\": \"t\",\n"
                + " \"vars\": {\"mount_path\": \"/ecs/uuid-{{ part.partuuid }}\", \"typo\": [\"{{ mount_pth }}\"]},\n"
                + " \"plays\": [{\"name\": \"p\", \"hosts\": \"all\", \"tasks\": [\n"
                + "  {\"name\": \"a\", \"module\": \"partition\", \"args\": {\"device\": \"/dev/x\"}, \"register\": \"part\"}]}]}");

        assertThat(problems).extracting(Problem::toString).containsExactly(
                "pb.json:2:67: /vars/typo/0: unknown variable 'mount_pth' in \"{{ mount_pth }}\"; did you mean 'mount_path'?");
    }
}
