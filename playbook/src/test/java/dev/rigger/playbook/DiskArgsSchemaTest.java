package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A literal mount argument that would add or comment out fstab fields fails at load time, located; the
 * destructive modules' {@code force} is a boolean or {@code "held"}.
 */
class DiskArgsSchemaTest {
    private final PlaybookLoader loader = new PlaybookLoader();

    private static String mountTask(String argsJson) {
        return task("mount", argsJson);
    }

    private static String task(String module, String argsJson) {
        return "{\"name\": \"t\", \"vars\": {\"part\": {\"path\": \"/dev/x1\", \"partuuid\": \"a-1\"}, \"mount_options\": \"rw\"},\n \"plays\": [{\"name\": \"p\", \"hosts\": \"all\", \"tasks\": [\n"
                + "  {\"name\": \"m\", \"module\": \"" + module + "\", \"args\": " + argsJson + "}\n]}]}\n";
    }

    private List<Problem> problemsOf(String argsJson) {
        PlaybookException e = catchThrowableOfType(PlaybookException.class,
                () -> loader.load(mountTask(argsJson), "pb.json", Map.of()));
        assertThat(e).as("refused: " + argsJson).isNotNull();
        return e.problems();
    }

    @Test
    void optionsWithANewlineOrAHashAreRefusedAtTheirPointer() {
        for (String options : new String[] {"rw\\n/dev/xvdf1 / xfs defaults 0 0", "rw\\n", "rw #x", "rw,\\tnoatime", "rw\\\\040"}) {
            List<Problem> problems = problemsOf("{\"path\": \"/ecs/a\", \"device\": \"/dev/xvdf1\", \"type\": \"xfs\", \"options\": \"" + options + "\"}");
            assertThat(problems).as(options).anySatisfy(p -> {
                assertThat(p.pointer()).isEqualTo("/plays/0/tasks/0/args/options");
                assertThat(p.line()).isEqualTo(3);
            });
        }
    }

    @Test
    void typeAndDeviceAreOneFieldEach() {
        assertThat(problemsOf("{\"path\": \"/ecs/a\", \"device\": \"/dev/xvdf1 /\", \"type\": \"xfs\"}"))
                .anySatisfy(p -> assertThat(p.pointer()).isEqualTo("/plays/0/tasks/0/args/device"));
        assertThat(problemsOf("{\"path\": \"/ecs/a\", \"device\": \"/dev/xvdf1\", \"type\": \"xfs#\"}"))
                .anySatisfy(p -> assertThat(p.pointer()).isEqualTo("/plays/0/tasks/0/args/type"));
    }

    @Test
    void theMountPointIsCanonical() {
        for (String path : new String[] {"ecs/a", "/ecs/../etc", "/ecs//a", "/ecs/a/", "/ecs/.", "/ecs/a b", "/ecs/a\\n"}) {
            assertThat(problemsOf("{\"path\": \"" + path + "\", \"device\": \"/dev/xvdf1\", \"type\": \"xfs\"}"))
                    .as(path).anySatisfy(p -> assertThat(p.pointer()).isEqualTo("/plays/0/tasks/0/args/path"));
        }
    }

    @Test
    void templatesAndPlainValuesLoad() throws Exception {
        loader.load(mountTask("{\"path\": \"/ecs/uuid-{{ part.partuuid }}\", \"device\": \"{{ part.path }}\", \"type\": \"xfs\","
                + " \"options\": \"{{ mount_options }}\"}"), "pb.json", Map.of());
        loader.load(mountTask("{\"path\": \"/ecs/.hidden\", \"device\": \"PARTUUID=0a-1b\", \"type\": \"fuse.sshfs\","
                + " \"options\": \"rw,noatime,attr2,inode64,noquota\"}"), "pb.json", Map.of());
    }

    @Test
    void unmountingNeedsNeitherDeviceNorType() throws Exception {
        loader.load(mountTask("{\"path\": \"/ecs/a\", \"state\": \"unmounted\"}"), "pb.json", Map.of());
        loader.load(mountTask("{\"path\": \"/ecs/a\", \"state\": \"absent\"}"), "pb.json", Map.of());
        assertThat(problemsOf("{\"path\": \"/ecs/a\", \"state\": \"mounted\"}"))
                .anySatisfy(p -> assertThat(p.message()).contains("device"));
        assertThat(problemsOf("{\"path\": \"/ecs/a\"}")).anySatisfy(p -> assertThat(p.message()).contains("type"));
    }

    @Test
    void forceIsABooleanOrHeld() throws Exception {
        for (String module : new String[] {"partition", "filesystem"}) {
            String args = "{\"device\": \"/dev/xvdf\", \"type\": \"xfs\", \"force\": ";
            if (module.equals("partition")) {
                args = "{\"device\": \"/dev/xvdf\", \"force\": ";
            }
            loader.load(task(module, args + "\"held\"}"), "pb.json", Map.of());
            loader.load(task(module, args + "true}"), "pb.json", Map.of());
            PlaybookException e = catchThrowableOfType(PlaybookException.class,
                    () -> loader.load(task(module, "{\"device\": \"/dev/xvdf\", \"type\": \"xfs\", \"force\": \"yes\"}"), "pb.json", Map.of()));
            assertThat(e).as(module).isNotNull();
            assertThat(e.problems()).anySatisfy(p -> {
                assertThat(p.pointer()).isEqualTo("/plays/0/tasks/0/args/force");
                assertThat(p.message()).contains("\"held\"");
            });
        }
    }
}
