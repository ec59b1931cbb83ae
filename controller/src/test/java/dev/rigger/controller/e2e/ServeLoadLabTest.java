package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code rigger serve} as {@code bin/rigger} starts it (its 128 MB heap), against a real lab node: loud
 * tasks with slow event-stream readers, a hung task cancelled through the API, the default task deadline,
 * and a burst of facts refreshes.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeLoadLabTest {
    /** HTTP/1.1: each request its own connection, as separate clients would come (no h2c upgrade sharing one). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Lines each loud task prints; 300000 is the figure of the issue (-Drigger.load.lines to change it). */
    private static final int LINES = Integer.getInteger("rigger.load.lines", 300_000);
    private static final int RUNS = 5;
    private static final int READERS = 10;
    /** The default task deadline the server is started with. */
    private static final int TASK_TIMEOUT_SEC = 20;

    private static LabRun lab;
    private static Process serve;
    private static Path serveErr;
    private static Path playbooks;
    private static String url;
    private static String token;
    private static long pid;

    @BeforeAll
    static void labAndServerUp() throws Exception {
        lab = new LabRun("serveload", 1, "prepare-hosts.json");
        playbooks = Files.createTempDirectory("serveload-playbooks");
        // long lines, so that buffering them all would not fit in the server's heap many times over
        playbook("loud.json", "print", ("{ \"cmd\": \"seq -f 'line %%06g of a task that prints a lot, padded to be"
                + " longer than a number' %d\" }, \"timeoutSec\": 600").formatted(LINES));
        playbook("hang.json", "hang", "{ \"argv\": [\"sleep\", \"600\"] }");
        playbook("deadline.json", "no deadline of its own", "{ \"argv\": [\"sleep\", \"601\"] }");
        serveErr = lab.stateDir.resolve("serve.err");
        Path rigger = Path.of("..", "bin", "rigger").toAbsolutePath().normalize();
        serve = new ProcessBuilder(rigger.toString(), "serve", "--state", lab.stateDir.toString(), "--lab", lab.name,
                "--port", "0", "--playbooks", playbooks.toString(), "--prepare", "hang.json", "--task-timeout", String.valueOf(TASK_TIMEOUT_SEC))
                .redirectOutput(lab.stateDir.resolve("serve.out").toFile()).redirectError(serveErr.toFile()).start();
        Path endpoint = lab.stateDir.resolve("serve.json");
        for (int i = 0; i < 600 && !Files.exists(endpoint); i++) {
            assertThat(serve.isAlive()).as("serve started: %s", Files.exists(serveErr) ? Files.readString(serveErr) : "").isTrue();
            Thread.sleep(100);
        }
        JsonNode e = LabRun.JSON.readTree(endpoint.toFile());
        url = "http://127.0.0.1:" + e.path("port").asInt();
        pid = e.path("pid").asLong();
        token = Files.readString(lab.stateDir.resolve("serve.token")).strip();
        for (int i = 0; i < 600 && !attached("node1"); i++) {
            Thread.sleep(100);
        }
        assertThat(attached("node1")).as("the node's agent attached").isTrue();
    }

    @AfterAll
    static void down() throws Exception {
        if (serve != null) {
            serve.destroy();
            if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
        if (playbooks != null) {
            LabRun.deleteTree(playbooks);
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static void playbook(String file, String task, String argsAndMore) throws IOException {
        Files.writeString(playbooks.resolve(file), """
                { "name": "%s", "plays": [ { "name": "load", "hosts": "all", "tasks": [
                    { "name": "%s", "module": "command", "args": %s }
                ] } ] }
                """.formatted(file.replace(".json", ""), task, argsAndMore), StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void fiveLoudRunsWithSlowReadersLeaveTheServersHeapLevelAndTheLogHonest() throws Exception {
        List<Long> heap = new ArrayList<>();
        String lastRun = null;
        for (int run = 1; run <= RUNS; run++) {
            long started = System.nanoTime();
            String id = start("loud.json");
            List<SlowReader> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(SlowReader.open(id));
            }
            long slowest = 0;
            JsonNode info;
            while (true) {
                long asked = System.nanoTime();
                HttpResponse<String> r = get("/api/runs/" + id);
                if (run > 1) {
                    // the first run loads and compiles the run's code in a server that just started
                    slowest = Math.max(slowest, System.nanoTime() - asked);
                }
                if (System.nanoTime() - asked > TimeUnit.MILLISECONDS.toNanos(300)) {
                    System.out.printf("slow answer: %d ms at %.1f s into run %d%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked),
                            (asked - started) / 1e9, run);
                }
                info = LabRun.JSON.readTree(r.body());
                if (!"running".equals(info.path("status").asText())) {
                    break;
                }
                assertThat(System.nanoTime() - started).as("run %d within 5 min", run).isLessThan(TimeUnit.MINUTES.toNanos(5));
                Thread.sleep(500);
            }
            readers.forEach(SlowReader::close);
            assertThat(info.path("status").asText()).as("%s %s", info, lab.lastRunEvents("TaskFinished")).isEqualTo("ok");
            System.out.printf("run %d: slowest API answer %d ms%n", run, TimeUnit.NANOSECONDS.toMillis(slowest));
            assertThat(TimeUnit.NANOSECONDS.toMillis(slowest)).as("the API answered while the run printed").isLessThan(1000);
            for (SlowReader reader : readers) {
                assertThat(reader.read.get()).as("a slow reader got the stream's start").isGreaterThan(100);
                assertThat(reader.failure.get()).isFalse();
            }
            heap.add(usedHeapAfterGc());
            System.out.printf("run %d: %d lines in %.1f s, heap after GC %d KiB%n", run, LINES,
                    (System.nanoTime() - started) / 1e9, heap.get(heap.size() - 1));
            lastRun = id;
        }
        assertThat(serve.isAlive()).as("serve is still up").isTrue();
        assertThat(Files.readString(serveErr)).doesNotContain("OutOfMemoryError");
        assertThat(heap.get(RUNS - 1)).as("the heap levels off: after run 5 no more than 16 MiB above run 2 (%s KiB)", heap)
                .isLessThan(heap.get(1) + 16 * 1024);

        // the finished run streams from its log: every line, or a count of those the controller could not keep up with
        long lines = 0;
        long dropped = 0;
        HttpResponse<InputStream> events = HTTP.send(request("/api/runs/" + lastRun + "/events").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Pattern droppedNote = Pattern.compile("(\\d+) lines dropped");
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ") && line.contains("\"event\":\"TaskOutput\"")) {
                    Matcher m = droppedNote.matcher(line);
                    if (m.find()) {
                        dropped += Long.parseLong(m.group(1));
                    } else {
                        lines++;
                    }
                }
            }
        }
        System.out.printf("last run's log: %d lines, %d dropped%n", lines, dropped);
        assertThat(lines + dropped).as("every line is in the log or counted as dropped").isEqualTo(LINES);
    }

    @Test
    @Order(2)
    void aHungTaskIsCancelledThroughTheApiAndItsProcessIsGoneFromTheNode() throws Exception {
        String id = start("hang.json");
        Node node = lab.node("node1");
        waitUntil(() -> !node.run("pgrep -f 'sleep 60[0]'").out().isBlank(), 60, "sleep 600 started on the node");
        long asked = System.nanoTime();
        HttpResponse<String> cancel = send("DELETE", "/api/runs/" + id);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        JsonNode info = awaitFinished(id, 10);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).as("cancelled at once").isLessThan(5000);
        assertThat(info.path("status").asText()).isEqualTo("cancelled");
        assertThat(info.path("recap").path("node1").path("cancelled").asInt()).isEqualTo(1);
        assertThat(info.path("recap").path("node1").path("failed").asInt()).isZero();
        waitUntil(() -> node.run("pgrep -f 'sleep 60[0]'").out().isBlank(), 5, "no sleep 600 left on the node");

        assertThat(send("DELETE", "/api/runs/" + id).statusCode()).as("a finished run").isEqualTo(409);
        assertThat(send("DELETE", "/api/runs/no-such-run").statusCode()).isEqualTo(404);
        List<JsonNode> log = lab.lastRunEvents();
        assertThat(log).extracting(e -> e.path("event").asText()).contains("RunCancelled").last().isEqualTo("RunFinished");
        assertThat(log).filteredOn(e -> e.path("event").asText().equals("TaskFinished"))
                .singleElement().satisfies(e -> assertThat(e.path("result").path("status").asText()).isEqualTo("cancelled"));
    }

    @Test
    @Order(3)
    void aTaskWithoutItsOwnTimeoutIsKilledAtTheDefaultDeadline() throws Exception {
        long started = System.nanoTime();
        String id = start("deadline.json");
        JsonNode info = awaitFinished(id, TASK_TIMEOUT_SEC + 30);
        long tookSec = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(info.path("status").asText()).isEqualTo("failed");
        assertThat(tookSec).as("ended at the deadline, not after the sleep").isBetween((long) TASK_TIMEOUT_SEC - 1, TASK_TIMEOUT_SEC + 25L);
        JsonNode finished = lab.lastRunEvents("TaskFinished").get(0);
        assertThat(finished.path("result").path("msg").asText()).contains("timed out after " + TASK_TIMEOUT_SEC + " s");
        assertThat(lab.node("node1").run("pgrep -f 'sleep 60[1]'").out()).as("killed on the node").isBlank();
    }

    @Test
    @Order(4)
    void aBurstOfFactsRefreshesLeavesTheApiAnsweringAndTheExcessIsRefused() throws Exception {
        // the first listing after the loud runs reads their logs once (then their summaries are cached): not
        // what this test measures
        assertThat(get("/api/runs").statusCode()).isEqualTo(200);
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            burst.add(HTTP.sendAsync(request("/api/hosts/node1/facts?refresh=true").GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long slowest = 0;
        for (int i = 0; i < 5; i++) {
            long asked = System.nanoTime();
            assertThat(get("/api/runs").statusCode()).isEqualTo(200);
            assertThat(get("/api/hosts").statusCode()).isEqualTo(200);
            slowest = Math.max(slowest, System.nanoTime() - asked);
            Thread.sleep(100);
        }
        int ok = 0;
        int refused = 0;
        for (var f : burst) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(r.body()).contains("too many facts refreshes at once");
                refused++;
            }
        }
        System.out.printf("refresh burst: %d answered, %d refused, other calls within %d ms%n", ok, refused,
                TimeUnit.NANOSECONDS.toMillis(slowest));
        assertThat(TimeUnit.NANOSECONDS.toMillis(slowest)).as("other calls answered promptly").isLessThan(1000);
        assertThat(ok).isPositive();
        assertThat(refused).isPositive();
    }

    /** An event-stream client on a real socket with a small receive buffer, reading about 4 KB a second. */
    private static final class SlowReader implements Runnable {
        private final Socket socket;
        final AtomicLong read = new AtomicLong();
        final AtomicBoolean failure = new AtomicBoolean();
        private final AtomicBoolean closing = new AtomicBoolean();

        private SlowReader(Socket socket) {
            this.socket = socket;
        }

        static SlowReader open(String id) throws IOException {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            URI u = URI.create(url);
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/runs/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            SlowReader reader = new SlowReader(s);
            Thread t = new Thread(reader, "slow-reader");
            t.setDaemon(true);
            t.start();
            return reader;
        }

        @Override
        public void run() {
            byte[] buf = new byte[1024];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    read.addAndGet(n);
                    Thread.sleep(250);
                }
            } catch (IOException | InterruptedException e) {
                if (!closing.get()) {
                    failure.set(true);
                }
            }
        }

        void close() {
            closing.set(true);
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Used heap after a full collection, in KiB, as jcmd reports it for the serial collector. */
    private static long usedHeapAfterGc() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        long used = 0;
        Matcher m = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(info);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        assertThat(used).as(info).isPositive();
        return used;
    }

    private static String jcmd(String command) throws Exception {
        Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean attached(String host) throws Exception {
        JsonNode hosts = LabRun.JSON.readTree(get("/api/hosts").body()).path("hosts");
        for (JsonNode h : hosts) {
            if (h.path("name").asText().equals(host)) {
                return h.path("connected").asBoolean();
            }
        }
        return false;
    }

    private static String start(String playbook) throws Exception {
        HttpResponse<String> r = HTTP.send(request("/api/runs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"playbook\":\"" + playbook + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return LabRun.JSON.readTree(r.body()).path("id").asText();
    }

    private static JsonNode awaitFinished(String id, int seconds) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            JsonNode info = LabRun.JSON.readTree(get("/api/runs/" + id).body());
            String status = info.path("status").asText();
            if (!status.equals("running") && !status.equals("cancelling")) {
                return info;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not finish within " + seconds + " s");
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> condition, int seconds, String what) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.call()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + ": not within " + seconds + " s");
            }
            Thread.sleep(200);
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(120));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
