package dev.rigger.lab.ecs;

import dev.rigger.lab.LabException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/** Builds the simulator image in this machine's real dockerd (once; later runs reuse it) and runs it. */
@Tag("lab")
class EcsSimulatorImageTest {
    @BeforeAll
    static void requireDockerdJmodsAndTools() {
        String missing = null;
        if (!Files.isDirectory(Path.of(System.getProperty("java.home"), "jmods"))) {
            missing = "the JDK has no jmods directory (Debian 12: openjdk-17-jdk-headless)";
        } else if (!HostCommand.available("tar") || !HostCommand.available("ldd") || !HostCommand.available("docker")) {
            missing = "tar, ldd or the docker CLI is not installed";
        } else {
            try (LocalDockerd dockerd = LocalDockerd.connect()) {
                missing = null;
            } catch (LabException e) {
                missing = e.getMessage();
            }
        }
        if (missing != null && "true".equals(System.getenv("CI"))) {
            fail("ECS simulator image test prerequisite missing under CI: " + missing);
        }
        Assumptions.assumeTrue(missing == null, "skipped: " + missing);
    }

    @Test
    void aSecondEnsureBuildsNothingAndLatestNamesTheSameImage() {
        String first = EcsSimulatorImage.ensure(line -> { });
        List<String> second = new ArrayList<>();
        String again = EcsSimulatorImage.ensure(second::add);

        assertThat(again).isEqualTo(first).matches("rigger-ecs-simulator:[0-9a-f]{12}");
        assertThat(second).as("progress of the second ensure").hasSize(1)
                .allMatch(line -> line.contains("is present")).noneMatch(line -> line.contains("building"));
        assertThat(docker("image", "inspect", "-f", "{{.Id}}", EcsSimulatorImage.LATEST))
                .isEqualTo(docker("image", "inspect", "-f", "{{.Id}}", first));
        assertThat(docker("image", "inspect", "-f", "{{index .Config.Labels \"" + EcsSimulatorImage.TAG_LABEL + "\"}}",
                first)).isEqualTo(first.substring(first.indexOf(':') + 1));
    }

    @Test
    void theImageIsMadeFromScratchWithTheSimulatorsEntrypointKeystoreAndPorts() {
        String image = EcsSimulatorImage.ensure(line -> { });
        assertThat(docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", image)).as("one layer, no base image")
                .isEqualTo("1");
        assertThat(docker("image", "inspect", "-f", "{{json .Config.Entrypoint}}", image))
                .isEqualTo("[\"/opt/java/bin/java\",\"-XX:+UseSerialGC\",\"-jar\",\"/opt/ecssim/ecs-simulator.jar\"]");
        assertThat(docker("image", "inspect", "-f", "{{json .Config.Env}}", image))
                .contains("\"ECSSIM_KEYSTORE=/etc/ecssim/keystore.p12\"", "\"ECSSIM_KEYSTORE_PASSWORD=changeit\"");
        assertThat(docker("image", "inspect", "-f", "{{json .Config.ExposedPorts}}", image))
                .contains("\"4443/tcp\"", "\"9101/tcp\"");
    }

    @Test
    void theJvmInTheImageStartsTheSimulator() {
        EcsSimulatorImage.ensure(line -> { });
        HostCommand.Result run = HostCommand.run(List.of("docker", "run", "--rm", EcsSimulatorImage.LATEST));
        String output = run.stdout() + run.stderr();
        // the simulator fails its start-up checks outside a prepared host, but only after the JVM ran it
        assertThat(output).as("what the container printed").isNotBlank()
                .doesNotContainIgnoringCase("exec format")
                .doesNotContainIgnoringCase("no such file")
                .doesNotContain("error while loading shared libraries")
                .doesNotContain("Error: Could not find or load main class")
                .doesNotContain("Error occurred during initialization of VM");
        assertThat(output).containsAnyOf("ECS simulator", "boot operation begin");
    }

    @Test
    void theJvmInTheImageHasTheSimulatorsModulesAndNoOthers() {
        EcsSimulatorImage.ensure(line -> { });
        HostCommand.Result modules = HostCommand.run(List.of("docker", "run", "--rm", "--entrypoint",
                EcsSimulatorImage.JAVA_HOME + "/bin/java", EcsSimulatorImage.LATEST, "--list-modules")).orThrow();
        List<String> names = modules.stdout().lines().map(l -> l.split("@")[0]).toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(EcsSimulatorImage.MODULES);
    }

    @Test
    void theTagFollowsTheJarTheModulesAndTheJdk() {
        byte[] jar = EcsSimulatorImage.simulatorJar();
        SimulatorImageRecipe recipe = EcsSimulatorImage.recipe(jar);
        assertThat(EcsSimulatorImage.recipe(EcsSimulatorImage.simulatorJar()).tag()).isEqualTo(recipe.tag());
        byte[] otherJar = jar.clone();
        otherJar[otherJar.length / 2] ^= 1;
        assertThat(EcsSimulatorImage.recipe(otherJar).tag()).as("one bit of the jar changed").isNotEqualTo(recipe.tag());
        assertThat(new SimulatorImageRecipe(recipe.jarSha256(), List.of("java.base"), recipe.jdk(), recipe.changes()).tag())
                .isNotEqualTo(recipe.tag());
        assertThat(new SimulatorImageRecipe(recipe.jarSha256(), recipe.modules(), recipe.jdk() + "1", recipe.changes()).tag())
                .isNotEqualTo(recipe.tag());
        assertThat(recipe.jdk()).contains(Runtime.version().toString());
    }

    private static String docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return HostCommand.run(argv).orThrow().stdout().strip();
    }
}
