package dev.rigger.lab.ecs;

import dev.rigger.lab.LabException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a tool of this machine (ldd, strip, keytool) to completion and keeps what it printed. */
final class HostCommand {
    private HostCommand() {
    }

    /** The outcome of one finished command. */
    record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        Result orThrow() {
            if (exitCode != 0) {
                throw new LabException("`" + String.join(" ", argv) + "` exited " + exitCode
                        + (stderr.isBlank() ? "" : ": " + stderr.strip()));
            }
            return this;
        }
    }

    static Result run(List<String> argv) {
        Process process;
        try {
            process = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new LabException("cannot start `" + argv.get(0) + "` (is it installed and on PATH?): "
                    + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process, false));
            String stdout = readAll(process, true);
            return new Result(List.copyOf(argv), process.waitFor(), stdout, stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while `" + String.join(" ", argv) + "` ran", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean available(String tool) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String readAll(Process process, boolean stdout) {
        try {
            byte[] bytes = (stdout ? process.getInputStream() : process.getErrorStream()).readAllBytes();
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
