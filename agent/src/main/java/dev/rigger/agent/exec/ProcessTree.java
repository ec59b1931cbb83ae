package dev.rigger.agent.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Everything one command started, found again when it must be killed. {@link Process#descendants()}
 * misses a child whose parent exited first ({@code (daemon &)}, a double fork): the kernel hands it to
 * init, and nothing links it to the command any more. Its environment still does: every command runs
 * with {@value #MARK} set to an id of its own, which its children inherit, so the command's processes
 * are those whose {@code /proc/<pid>/environ} holds that id.
 */
final class ProcessTree {
    /** The environment variable that marks a command's processes. */
    static final String MARK = "RIGGER_COMMAND_ID";
    /** A child may fork while the first pass kills; later passes catch what it made. */
    private static final int PASSES = 5;
    private static final Path PROC = Path.of("/proc");

    private final String id = UUID.randomUUID().toString();

    /** Puts the mark into the environment the command will start with. */
    void mark(ProcessBuilder builder) {
        builder.environment().put(MARK, id);
    }

    /** Kills the command, what it started, and what those started even after their parent has gone. */
    void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        for (int pass = 0; pass < PASSES; pass++) {
            List<Long> marked = marked();
            if (marked.isEmpty()) {
                return;
            }
            marked.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** Live processes carrying this command's mark (none where there is no /proc to read). */
    List<Long> marked() {
        byte[] wanted = (MARK + "=" + id).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid != self && holds(dir.resolve("environ"), wanted)) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            // no /proc: what descendants() found is all that can be found
        }
        return pids;
    }

    private static boolean holds(Path environ, byte[] entry) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException e) {
            // gone meanwhile, or not ours to read: either way not one to kill
            return false;
        }
        // entries are NUL-separated: match a whole entry, not a part of one
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == entry.length && java.util.Arrays.equals(env, start, i, entry, 0, entry.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
