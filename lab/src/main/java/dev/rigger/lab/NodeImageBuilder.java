package dev.rigger.lab;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Makes the lab node image without any registry: debootstrap from the machine's Debian mirror into a
 * temporary directory, the lab's sshd setup and init script on top, then a streamed import into dockerd.
 * Nothing stays on disk: the image in dockerd is the cache.
 */
final class NodeImageBuilder {
    private final LabDocker docker;
    private final Consumer<String> progress;

    NodeImageBuilder(LabDocker docker, Consumer<String> progress) {
        this.docker = docker;
        this.progress = progress;
    }

    /** Returns the image reference, building it only when dockerd does not have it yet. */
    String ensure(NodeImageRecipe recipe, DebianMirrorFacts mirror) {
        String image = recipe.image();
        if (docker.imageExists(image)) {
            progress.accept("node image " + image + " is present");
            return image;
        }
        for (String tool : List.of("debootstrap", "tar")) {
            if (!Commands.available(tool)) {
                throw new LabException("building the node image " + image + " needs `" + tool
                        + "` (Debian package " + tool + ")");
            }
        }
        long started = System.nanoTime();
        Path work;
        try {
            work = Files.createTempDirectory("rigger-lab-rootfs-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the node rootfs", e);
        }
        try {
            Path rootfs = work.resolve("rootfs");
            debootstrap(recipe, mirror, rootfs);
            customize(recipe, rootfs);
            importRootfs(recipe, rootfs);
        } finally {
            removeTree(work);
        }
        progress.accept(String.format("node image %s built in %.0f s", image, (System.nanoTime() - started) / 1e9));
        return image;
    }

    private void debootstrap(NodeImageRecipe recipe, DebianMirrorFacts mirror, Path rootfs) {
        progress.accept("building node image " + recipe.image() + ": debootstrap " + mirror.suite()
                + " from " + mirror.mirror() + " (takes a minute or more)");
        List<String> argv = List.of("debootstrap", "--variant=minbase",
                "--include=" + String.join(",", recipe.packages()), mirror.suite(), rootfs.toString(), mirror.mirror());
        DebootstrapProgress lines = new DebootstrapProgress(progress);
        Commands.Result result = Commands.run(argv, lines);
        if (!result.ok()) {
            throw new LabException("debootstrap of " + mirror.suite() + " from " + mirror.mirror() + " into "
                    + rootfs + " exited " + result.exitCode() + ": " + lastLines(result.stdout() + result.stderr()));
        }
    }

    private void customize(NodeImageRecipe recipe, Path rootfs) {
        progress.accept("adding sshd setup, init script and init steps");
        try {
            writeFile(rootfs, NodeImageRecipe.INIT_PATH, recipe.initScript(), "rwxr-xr-x");
            writeFile(rootfs, NodeImageRecipe.SSHD_CONFIG_PATH, recipe.sshdConfig(), "rw-r--r--");
            writeFile(rootfs, NodeImageRecipe.DPKG_CONFIG_PATH, recipe.dpkgConfig(), "rw-r--r--");
            Files.createDirectories(inside(rootfs, NodeImageRecipe.INIT_STEPS_DIR));
            for (NodeImageRecipe.ImageFile file : recipe.files()) {
                writeFile(rootfs, file.path(), file.content(), file.mode());
            }
            writeFile(rootfs, NodeImageRecipe.RUNC_WRAPPER_PATH, recipe.runcWrapper(), "rwxr-xr-x");
            for (String unused : recipe.unusedFiles()) {
                Files.deleteIfExists(inside(rootfs, unused));
            }
            // The openssh-server package made host keys in the rootfs: every node would share them.
            try (Stream<Path> keys = Files.list(inside(rootfs, "/etc/ssh"))) {
                for (Path key : keys.filter(p -> p.getFileName().toString().startsWith("ssh_host_")).toList()) {
                    Files.delete(key);
                }
            }
            Files.writeString(inside(rootfs, "/etc/machine-id"), "");
            // apt recreates the package lists and archives; it expects their directories to exist.
            for (String dir : List.of("/var/lib/apt/lists", "/var/cache/apt")) {
                deleteFiles(inside(rootfs, dir));
            }
            for (String dir : List.of("/usr/share/doc", "/usr/share/man", "/usr/share/info", "/usr/share/locale",
                    "/tmp", "/dev", "/proc", "/sys", "/run")) {
                emptyDir(inside(rootfs, dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot customize the node rootfs in " + rootfs, e);
        }
    }

    private void importRootfs(NodeImageRecipe recipe, Path rootfs) {
        progress.accept("importing the rootfs into dockerd as " + recipe.image());
        RootfsImport.run(docker.connection(), rootfs, List.of("--numeric-owner", "--xattrs"), recipe.kind().repository(),
                recipe.tag(), List.of("CMD [\"" + NodeImageRecipe.INIT_PATH + "\"]",
                        "LABEL dev.rigger.lab.recipe=" + recipe.tag()),
                in -> new CountingStream(in, progress));
    }

    private static void writeFile(Path rootfs, String path, String content, String mode) throws IOException {
        Path file = inside(rootfs, path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    private static Path inside(Path rootfs, String absolute) {
        return rootfs.resolve(absolute.substring(1));
    }

    private static void emptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void deleteFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Removes the build directory. debootstrap mounts /proc and /sys inside it; after a failed run they may
     * still be mounted, so unmount first and never cross into another file system.
     */
    private void removeTree(Path work) {
        List<String> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 1 && fields[1].startsWith(work.toString() + "/")) {
                    mounts.add(fields[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/mounts", e);
        }
        mounts.sort(Comparator.reverseOrder());
        for (String mount : mounts) {
            Commands.run("umount", "--lazy", mount);
        }
        Commands.run("rm", "-rf", "--one-file-system", work.toString()).orThrow();
    }

    private static String lastLines(String text) {
        String[] lines = text.strip().split("\n");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 5), lines.length));
    }

    /** Passes debootstrap's "I: …" lines on, but only one per phase change or every 40 lines. */
    private static final class DebootstrapProgress implements Consumer<String> {
        private final Consumer<String> progress;
        private String phase = "";
        private int sincePrinted;

        DebootstrapProgress(Consumer<String> progress) {
            this.progress = progress;
        }

        @Override
        public void accept(String line) {
            if (!line.startsWith("I: ")) {
                return;
            }
            String word = line.substring(3).split(" ", 2)[0];
            // every package is retrieved and then validated: one phase, not two alternating ones
            word = word.equals("Validating") ? "Retrieving" : word;
            if (!word.equals(phase) || ++sincePrinted >= 40) {
                phase = word;
                sincePrinted = 0;
                progress.accept("debootstrap: " + line.substring(3));
            }
        }
    }

    /** Reports every 50 MB that flows into the import. */
    private static final class CountingStream extends FilterInputStream {
        private static final long STEP = 50L << 20;
        private final Consumer<String> progress;
        private long count;
        private long next = STEP;

        CountingStream(InputStream in, Consumer<String> progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count >= next) {
                progress.accept("imported " + (count >> 20) + " MB");
                next += STEP;
            }
        }
    }
}
