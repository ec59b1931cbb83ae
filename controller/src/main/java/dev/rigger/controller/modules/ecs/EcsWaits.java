package dev.rigger.controller.modules.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.modules.ControllerModuleContext;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.Collection;
import java.util.Set;

/**
 * The waits of object prep, each a poll with a deadline and a live status line, never a fixed sleep:
 * until the API lets us log in, until a task is ready, until data stores are ready to use.
 */
final class EcsWaits {
    /** The reference lists both: pyecs examples say readytouse, the API docs initialized. */
    private static final Set<String> READY_STATES = Set.of("readytouse", "initialized");

    private final EcsClient api;
    private final EcsArgs a;
    private final ControllerModuleContext ctx;
    private boolean initialPasswordUsed;

    EcsWaits(EcsClient api, EcsArgs a, ControllerModuleContext ctx) {
        this.api = api;
        this.a = a;
        this.ctx = ctx;
    }

    /** True when the login succeeded only with the initial password: object prep then changes it. */
    boolean initialPasswordUsed() {
        return initialPasswordUsed;
    }

    /**
     * Logs in with the wanted password, else with the initial one (a first run, or a playbook that still starts
     * from ChangeMe after an earlier run changed it: the wanted one is tried first).
     *
     * @return false only in check mode, when the API does not answer yet (no waiting then)
     */
    boolean untilApiAnswers() throws IOException, InterruptedException {
        long start = System.currentTimeMillis();
        while (true) {
            String status;
            if (!api.portOpen()) {
                status = "management API not alive yet (nothing listens on " + a.endpoint().getPort() + ")";
            } else {
                try {
                    initialPasswordUsed = login();
                    long took = System.currentTimeMillis() - start;
                    if (took > 0) {
                        ctx.output().accept("management API answers at " + a.describeEndpoint() + " after " + took / 1000 + " s");
                    }
                    return true;
                } catch (EcsApiException e) {
                    if (e.status() == 401) {
                        status = "management API alive, authentication not ready yet (" + e.getMessage() + ")";
                    } else {
                        status = "management API alive, ECS still starting (" + e.getMessage() + ")";
                    }
                    if (e.status() == 401 && System.currentTimeMillis() - start > a.bootTimeoutMs() / 2) {
                        throw new IOException("the management API refuses user " + a.user() + ": " + e.getMessage());
                    }
                } catch (HttpTimeoutException e) {
                    status = "management API alive, no answer yet (timed out)";
                } catch (IOException e) {
                    EcsTrust.MismatchException mismatch = mismatch(e);
                    if (mismatch != null) {
                        // not ECS: waiting would only hand it more chances, and the password is never sent to it
                        throw new IOException("refused the management API at " + a.describeEndpoint() + ": "
                                + mismatch.getMessage(), e);
                    }
                    status = "management API alive, ECS not answering yet (" + e.getMessage() + ")";
                }
            }
            if (ctx.check()) {
                ctx.output().accept(status);
                return false;
            }
            deadline(start, a.bootTimeoutMs(), "the management API at " + a.describeEndpoint() + " to answer", status);
            ctx.output().accept(status + "; " + (System.currentTimeMillis() - start) / 1000 + " s");
            Thread.sleep(a.pollMs());
        }
    }

    /** @return true when only the initial password let us in */
    private boolean login() throws IOException, InterruptedException {
        try {
            api.login(a.user(), a.password());
            return false;
        } catch (EcsApiException e) {
            if (e.status() != 401 || a.initialPassword().equals(a.password())) {
                throw e;
            }
            api.login(a.user(), a.initialPassword());
            return true;
        }
    }

    private static EcsTrust.MismatchException mismatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EcsTrust.MismatchException m) {
                return m;
            }
        }
        return null;
    }

    /** Polls an asynchronous operation (reference §3.1) until it is ready; fails with its service error. */
    void untilTaskReady(String taskPath, String what) throws IOException, InterruptedException {
        long start = System.currentTimeMillis();
        while (true) {
            JsonNode task = api.get(taskPath);
            String state = task.path("state").asText("");
            if ("ready".equals(state)) {
                return;
            }
            if ("error".equals(state)) {
                JsonNode err = task.path("service_error");
                throw new IOException(what + " failed: ECS error " + err.path("code").asInt() + ": "
                        + err.path("description").asText("") + " " + err.path("details").asText(""));
            }
            deadline(start, a.readyTimeoutMs(), what, "task " + state);
            ctx.output().accept(what + ": task " + state);
            Thread.sleep(a.pollMs());
        }
    }

    /** Polls every data store object prep knows until each is ready to use. */
    void untilStoresReady(EcsObjects seen) throws IOException, InterruptedException {
        long start = System.currentTimeMillis();
        Collection<String> ids = seen.storesByName().values();
        while (true) {
            int ready = 0;
            String notReady = null;
            for (String id : ids) {
                String state = api.get("/vdc/data-stores/commodity/" + id).path("device_state").asText("");
                if (READY_STATES.contains(state)) {
                    ready++;
                } else {
                    notReady = id + " is " + state;
                }
            }
            if (notReady == null) {
                return;
            }
            String status = ready + " of " + ids.size() + " data stores ready (" + notReady + ")";
            deadline(start, a.readyTimeoutMs(), "the data stores to be ready", status);
            ctx.output().accept(status);
            Thread.sleep(a.pollMs());
        }
    }

    private static void deadline(long start, long timeoutMs, String what, String last) throws IOException {
        if (System.currentTimeMillis() - start > timeoutMs) {
            throw new IOException("gave up waiting for " + what + " after " + timeoutMs / 1000 + " s; last: " + last);
        }
    }
}
