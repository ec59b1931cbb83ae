package dev.rigger.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Runs the host tools the lab needs (losetup, debootstrap, ssh-keygen): no Java library does their job. */
final class Commands {
    private Commands() {
    }

    /** The outcome of one finished command. */
    record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        /** Throws naming the command and its error output unless it exited 0. */
        Result orThrow() {
            if (!ok()) {
                throw new LabException("`" + String.join(" ", argv) + "` exited " + exitCode
                        + (stderr.isBlank() ? "" : ": " + stderr.strip()));
            }
            return this;
        }
    }

    static Result run(String... argv) {
        return run(List.of(argv), line -> { });
    }

    /** Runs argv, passing each stdout line to {@code lines} as it comes, and keeps both streams. */
    static Result run(List<String> argv, Consumer<String> lines) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new LabException("cannot start `" + argv.get(0) + "` (is it installed and on PATH?): "
                    + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(
                    () -> readAll(process, false, line -> { }));
            String stdout = readAll(process, true, lines);
            int code = process.waitFor();
            return new Result(List.copyOf(argv), code, stdout, stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while `" + String.join(" ", argv) + "` ran", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(Process process, boolean stdout, Consumer<String> lines) {
        StringBuilder all = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                stdout ? process.getInputStream() : process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                all.append(line).append('\n');
                lines.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    static boolean available(String tool) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
