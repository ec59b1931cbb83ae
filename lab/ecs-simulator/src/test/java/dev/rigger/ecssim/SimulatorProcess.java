package dev.rigger.ecssim;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulator as a real process: {@code java -jar} on the shaded jar (system property ecssim.jar),
 * with the java binary of ecssim.java, so the same tests can run on a jlink'ed runtime. Stdout and
 * stderr go to a file that the test reads.
 */
final class SimulatorProcess implements AutoCloseable {
    private final Process process;
    private final Path output;
    final int mgmtPort;
    final int dtPort;

    private SimulatorProcess(Process process, Path output, int mgmtPort, int dtPort) {
        this.process = process;
        this.output = output;
        this.mgmtPort = mgmtPort;
        this.dtPort = dtPort;
    }

    static SimulatorProcess start(Path root, Map<String, String> extraEnv) throws IOException {
        String jar = System.getProperty("ecssim.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property ecssim.jar must name the shaded jar, got " + jar);
        }
        String java = System.getProperty("ecssim.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        int mgmtPort = freePort();
        int dtPort = freePort();
        Path output = Files.createTempFile("ecssim-out", ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("ECSSIM_"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "ECSSIM_ROOT", root.toString(),
                "ECSSIM_BOOT_DELAY_SEC", "0",
                "ECSSIM_STORE_READY_SEC", "1",
                "ECSSIM_DT_READY_SEC", "0",
                "ECSSIM_MGMT_PORT", Integer.toString(mgmtPort),
                "ECSSIM_DT_PORT", Integer.toString(dtPort)));
        settings.putAll(extraEnv);
        env.putAll(settings);
        return new SimulatorProcess(builder.start(), output, mgmtPort, dtPort);
    }

    /** Waits for the process to end (a refused boot) and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("simulator still running after " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Waits until the output holds the line, or fails with the output when the process ends first. */
    void awaitLine(String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().lines().anyMatch(l -> l.contains(line))) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("simulator exited " + process.exitValue() + " before \"" + line
                        + "\"; output:\n" + output());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no \"" + line + "\" within " + timeout + "; output:\n" + output());
    }

    void awaitReady() throws InterruptedException {
        awaitLine("boot operation end", Duration.ofSeconds(60));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output not readable: " + e.getMessage() + ")";
        }
    }

    /** Stops the way docker stop does (SIGTERM) and waits for the exit. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        Files.deleteIfExists(output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
