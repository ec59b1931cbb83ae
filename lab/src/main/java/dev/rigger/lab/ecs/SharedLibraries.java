package dev.rigger.lab.ecs;

import dev.rigger.lab.LabException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared libraries of this machine that a jlink runtime needs outside itself: what {@code ldd} names for
 * bin/java and every .so of the runtime (ldd already follows them transitively), plus the dynamic loader.
 */
final class SharedLibraries {
    // "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x…)" and the loader line "/lib64/ld-linux-x86-64.so.2 (0x…)"
    private static final Pattern RESOLVED = Pattern.compile("=>\\s*(/\\S+)\\s*\\(");
    private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S+)\\s*\\(");
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s*=>\\s*not found");
    // looked up at run time with dlopen, never named by ldd: glibc reads passwd/group through them
    private static final List<String> NSS = List.of("libnss_files.so.2");

    private SharedLibraries() {
    }

    /** Absolute paths on this machine, outside {@code runtime}, sorted. */
    static Set<String> neededBy(Path runtime) {
        Set<String> libraries = new TreeSet<>();
        List<Path> binaries = binaries(runtime);
        // the JVM loads these itself (libjava.so names libjvm.so, which lies in lib/server/, off ldd's path)
        Set<String> ownNames = new TreeSet<>();
        binaries.forEach(b -> ownNames.add(b.getFileName().toString()));
        for (Path binary : binaries) {
            HostCommand.Result ldd = HostCommand.run(List.of("ldd", binary.toString()));
            if (ldd.exitCode() != 0) {
                // "not a dynamic executable": a static file needs nothing
                continue;
            }
            for (String line : ldd.stdout().split("\n")) {
                Matcher missing = NOT_FOUND.matcher(line);
                if (missing.find() && !ownNames.contains(missing.group(1))) {
                    throw new LabException("ldd cannot find " + missing.group(1) + ", which " + binary + " needs");
                }
                if (line.contains("not found")) {
                    continue;
                }
                Matcher m = RESOLVED.matcher(line);
                String path = m.find() ? m.group(1) : null;
                if (path == null) {
                    Matcher loader = LOADER.matcher(line);
                    path = loader.find() ? loader.group(1) : null;
                }
                if (path != null && !Path.of(path).normalize().startsWith(runtime.normalize())) {
                    libraries.add(path);
                }
            }
        }
        for (String library : List.copyOf(libraries)) {
            Path dir = Path.of(library).getParent();
            for (String nss : NSS) {
                if (library.endsWith("/libc.so.6") && Files.exists(dir.resolve(nss))) {
                    libraries.add(dir.resolve(nss).toString());
                }
            }
        }
        return libraries;
    }

    private static List<Path> binaries(Path runtime) {
        List<Path> binaries = new ArrayList<>(List.of(runtime.resolve("bin/java")));
        try (Stream<Path> walk = Files.walk(runtime.resolve("lib"))) {
            walk.filter(p -> p.getFileName().toString().endsWith(".so") && Files.isRegularFile(p)).forEach(binaries::add);
        } catch (IOException e) {
            throw new LabException("cannot list the libraries of the runtime in " + runtime + ": " + e.getMessage(), e);
        }
        return binaries;
    }
}
