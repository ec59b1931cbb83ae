package dev.rigger.controller.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Looks inside a lab node from outside (docker exec), independently of rigger's own agent. */
record Node(String container) {

    String sh(String script) {
        Result r = run(script);
        if (r.exit != 0) {
            throw new AssertionError("in " + container + ": '" + script + "' exited " + r.exit + ": " + r.out);
        }
        return r.out.strip();
    }

    Result run(String script) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", container, "sh", "-c", script));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("docker exec timed out: " + script);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("docker exec failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Result(int exit, String out) {
    }
}
