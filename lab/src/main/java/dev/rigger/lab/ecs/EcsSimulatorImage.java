package dev.rigger.lab.ecs;

import dev.rigger.lab.LabException;
import dev.rigger.lab.RootfsImport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The image that stands in for ECS on lab nodes, built {@code FROM scratch} without any registry: a jlink
 * runtime of the JDK that runs rigger, the shared libraries it needs from this machine, the simulator jar and
 * a self-signed keystore, imported into this machine's dockerd. The controller ships it to the nodes' dockerd
 * like any other image.
 */
public final class EcsSimulatorImage {
    public static final String REPOSITORY = "rigger-ecs-simulator";
    public static final String LATEST = REPOSITORY + ":latest";
    /** The JDK modules the simulator needs: its HTTPS server, TLS with EC keys, Jackson's use of Unsafe. */
    public static final List<String> MODULES = List.of("java.base", "java.logging", "jdk.httpserver",
            "jdk.crypto.ec", "jdk.unsupported");
    static final String JAVA_HOME = "/opt/java";
    static final String JAR = "/opt/ecssim/ecs-simulator.jar";
    static final String KEYSTORE = "/etc/ecssim/keystore.p12";
    // a well-known default, like the real ECS's self-signed certificate: it protects nothing
    static final String KEYSTORE_PASSWORD = "changeit";
    static final String JAR_RESOURCE = "ecs-simulator.jar";
    static final String TAG_LABEL = "dev.rigger.ecssim.tag";

    private EcsSimulatorImage() {
    }

    /**
     * Makes sure this machine's dockerd has {@code rigger-ecs-simulator:<tag>}, building it only when it is
     * missing, and points {@code rigger-ecs-simulator:latest} at it. Returns {@code rigger-ecs-simulator:<tag>}.
     */
    public static String ensure(Consumer<String> progress) {
        byte[] jar = simulatorJar();
        SimulatorImageRecipe recipe = recipe(jar);
        String image = recipe.image();
        try (LocalDockerd dockerd = LocalDockerd.connect()) {
            if (dockerd.imageId(image).isPresent()) {
                dockerd.tag(image, REPOSITORY, "latest");
                progress.accept("ECS simulator image " + image + " is present");
                return image;
            }
            long started = System.nanoTime();
            progress.accept("building ECS simulator image " + image + " (jlink " + String.join(",", recipe.modules())
                    + ")");
            Path work = createWorkDir();
            try {
                Path rootfs = work.resolve("rootfs");
                SimulatorRootfs.assemble(recipe, jar, rootfs, progress);
                importRootfs(dockerd, recipe, rootfs, progress);
            } finally {
                deleteTree(work);
            }
            dockerd.tag(image, REPOSITORY, "latest");
            progress.accept(String.format("ECS simulator image %s built in %.0f s, %d MB", image,
                    (System.nanoTime() - started) / 1e9, dockerd.size(image) >> 20));
            return image;
        }
    }

    /** The recipe for the simulator jar this build of rigger carries and the JDK running it. */
    static SimulatorImageRecipe recipe(byte[] jar) {
        return SimulatorImageRecipe.of(jar, MODULES, Runtime.version() + " "
                + System.getProperty("java.vendor") + " " + System.getProperty("os.arch"), changes());
    }

    /** The image settings {@code docker import} applies; the tag label is added on import. */
    static List<String> changes() {
        return List.of(
                "ENTRYPOINT [\"" + JAVA_HOME + "/bin/java\",\"-XX:+UseSerialGC\",\"-jar\",\"" + JAR + "\"]",
                "ENV ECSSIM_KEYSTORE=" + KEYSTORE,
                "ENV ECSSIM_KEYSTORE_PASSWORD=" + KEYSTORE_PASSWORD,
                "EXPOSE 4443 9101");
    }

    static byte[] simulatorJar() {
        try (InputStream in = EcsSimulatorImage.class.getResourceAsStream(JAR_RESOURCE)) {
            if (in == null) {
                throw new LabException("the ECS simulator jar (resource dev/rigger/lab/ecs/" + JAR_RESOURCE
                        + ") is missing from the lab jar: build lab/ecs-simulator before lab");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ECS simulator jar from the lab jar", e);
        }
    }

    private static void importRootfs(LocalDockerd dockerd, SimulatorImageRecipe recipe, Path rootfs,
                                     Consumer<String> progress) {
        progress.accept("importing the simulator rootfs into dockerd as " + recipe.image());
        List<String> changes = new ArrayList<>(recipe.changes());
        changes.add("LABEL " + TAG_LABEL + "=" + recipe.tag());
        // owned by root inside the image whoever builds it
        RootfsImport.run(dockerd.connection(), rootfs, List.of("--numeric-owner", "--owner=0", "--group=0"),
                REPOSITORY, recipe.tag(), changes, in -> in);
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("rigger-ecssim-rootfs-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the simulator rootfs", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the simulator build directory " + dir, e);
        }
    }
}
