package dev.rigger.controller.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.events.RunEventJson;
import dev.rigger.controller.security.Secret;
import dev.rigger.playbook.ExtraVarsData;
import dev.rigger.playbook.Problem;
import dev.rigger.protocol.ProtocolJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and the dashboard. Handlers on the event loop only route: anything that reads files, waits
 * for an agent or validates a playbook runs on a worker, and its answer is written back here.
 */
final class ApiVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);

    private final ServeOptions options;
    /** Replaced together when the token is rotated: both are read on the event loop, written by a worker. */
    private volatile Secret token;
    private volatile ServeProof proof;
    private final HostsApi hosts;
    private final RunManager runs;
    private final StreamSlots slots;
    private HttpServer server;

    ApiVerticle(ServeOptions options, Secret token, ServeProof proof, HostsApi hosts, RunManager runs) {
        this(options, token, proof, hosts, runs, new StreamSlots());
    }

    ApiVerticle(ServeOptions options, Secret token, ServeProof proof, HostsApi hosts, RunManager runs, StreamSlots slots) {
        this.options = options;
        this.token = token;
        this.proof = proof;
        this.hosts = hosts;
        this.runs = runs;
        this.slots = slots;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            // the page loads only its own files: no inline script, nothing from elsewhere, never framed
            ctx.response().putHeader("Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer");
            ctx.next();
        });
        router.get("/api/proof").handler(this::prove);
        router.route("/api/*").handler(this::authorize);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()));
        router.post("/api/token/reload").handler(ctx -> answer(ctx, 200, this::reloadToken));
        router.get("/api/hosts").handler(ctx -> answer(ctx, 200, () -> Map.of("hosts", hosts.list())));
        router.get("/api/hosts/:host/facts").handler(ctx -> answer(ctx, 200,
                () -> hosts.facts(ctx.pathParam("host"), "true".equals(ctx.queryParams().get("refresh")))));
        router.post("/api/hosts/:host/reprepare").handler(ctx -> answer(ctx, 202, () -> {
            JsonNode body = bodyJson(ctx);
            return started(runs.start(hosts.reprepareRequest(ctx.pathParam("host"), body)));
        }));
        router.post("/api/runs").handler(ctx -> answer(ctx, 202, () -> started(runs.start(runRequest(bodyJson(ctx))))));
        router.get("/api/runs").handler(ctx -> answer(ctx, 200, () -> Map.of("runs", runs.list())));
        router.get("/api/runs/:id").handler(ctx -> answer(ctx, 200, () -> runs.info(ctx.pathParam("id"))
                .orElseThrow(() -> new ApiException(404, "no run '" + ctx.pathParam("id") + "'"))));
        router.get("/api/runs/:id/events").handler(this::events);
        router.delete("/api/runs/:id").handler(ctx -> answer(ctx, 202, () -> runs.cancel(ctx.pathParam("id"))));
        router.route("/api/*").handler(ctx -> json(ctx.response(), 404, Map.of("error", "no such endpoint: "
                + ctx.request().method() + " " + ctx.request().path())));
        router.get("/").handler(ctx -> ctx.response().putHeader("Cache-Control", "no-store")
                .sendFile("webroot/index.html"));
        router.route("/ui/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (ctx.failure() != null) {
                LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(), ctx.failure().toString());
            }
            json(ctx.response(), status, Map.of("error", status == 413 ? "request body larger than "
                    + options.maxBodyBytes() + " bytes" : "request failed (" + status + ")"));
        });
        HttpServerOptions http = new HttpServerOptions().setHost(options.bind()).setPort(options.port());
        if (options.tls() != null) {
            http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.tls().certFile().toString())
                    .setKeyPath(options.tls().keyFile().toString()));
        }
        return vertx.createHttpServer(http)
                .requestHandler(router).listen().onSuccess(s -> server = s);
    }

    int port() {
        return server.actualPort();
    }

    /** The one call without the token: the CLI checks this server knows the token before it sends it. */
    private void prove(RoutingContext ctx) {
        String challenge = ctx.queryParams().get("challenge");
        if (!ServeProof.wellFormed(challenge)) {
            json(ctx.response(), 400, Map.of("error", "challenge: expected 64 lowercase hex digits"));
            return;
        }
        json(ctx.response(), 200, Map.of("proof", proof.answer(options.bind(), port(), challenge)));
    }

    /**
     * Takes the token now in serve.token ({@code rigger serve --rotate-token} wrote it): asked with the old
     * token, which is refused from the next request on.
     */
    private Object reloadToken() throws ApiException {
        Secret fresh;
        try {
            fresh = ServeToken.load(options.stateDir());
        } catch (IOException e) {
            throw new ApiException(409, "the token was not reloaded: " + e.getMessage());
        }
        proof = new ServeProof(fresh, proof.nonce());
        token = fresh;
        LOG.info("API token reloaded from {}", ServeToken.file(options.stateDir()));
        return Map.of("reloaded", true);
    }

    /** Every API call carries the bearer token; compared in constant time. */
    private void authorize(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.startsWith("Bearer ") && token.equals(Secret.of(header.substring(7).strip()))) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"rigger\"");
        json(ctx.response(), 401, Map.of("error", "missing or wrong bearer token (see serve.token in the state directory)"));
    }

    /** Runs {@code work} on a worker and answers with its JSON, or with the ApiException it threw. */
    private void answer(RoutingContext ctx, int status, Callable<Object> work) {
        vertx.executeBlocking(work, false).onComplete(done -> {
            if (done.succeeded()) {
                json(ctx.response(), status, done.result());
            } else if (done.cause() instanceof ApiException e) {
                json(ctx.response(), e.status(), e.body());
            } else {
                LOG.warn("{} {} failed", ctx.request().method(), ctx.request().path(), done.cause());
                json(ctx.response(), 500, Map.of("error", String.valueOf(done.cause().getMessage())));
            }
        });
    }

    private static Map<String, Object> started(LiveRun run) {
        return Map.of("id", run.id(), "events", "/api/runs/" + run.id() + "/events");
    }

    private static JsonNode bodyJson(RoutingContext ctx) throws ApiException {
        String body = ctx.body() == null ? null : ctx.body().asString();
        if (body == null || body.isBlank()) {
            return ProtocolJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = ProtocolJson.MAPPER.readTree(body);
            if (!node.isObject()) {
                throw new ApiException(400, "request body: expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "request body: not JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }

    static RunRequest runRequest(JsonNode body) throws ApiException {
        JsonNode playbook = body.path("playbook");
        if (!playbook.isTextual()) {
            throw new ApiException(400, "/playbook: expected the file name of a playbook (a string)");
        }
        JsonNode limit = body.path("limit");
        if (!limit.isMissingNode() && !limit.isNull() && !limit.isTextual()) {
            throw new ApiException(400, "/limit: expected a host pattern (a string) or null");
        }
        JsonNode check = body.path("check");
        if (!check.isMissingNode() && !check.isNull() && !check.isBoolean()) {
            throw new ApiException(400, "/check: expected true or false");
        }
        JsonNode forks = body.path("forks");
        if (!forks.isMissingNode() && !forks.isNull() && (!forks.canConvertToInt() || !forks.isIntegralNumber() || forks.asInt() < 1)) {
            throw new ApiException(400, "/forks: expected a number of at least 1");
        }
        return new RunRequest(playbook.asText(), limit.isTextual() ? limit.asText() : null, check.asBoolean(false),
                extraVars(body), strings(body, "tags"), strings(body, "skipTags"), flag(body, "diff"),
                forks.isIntegralNumber() ? forks.asInt() : null, flag(body, "retryFailed"));
    }

    private static boolean flag(JsonNode body, String name) throws ApiException {
        JsonNode v = body.path(name);
        if (!v.isMissingNode() && !v.isNull() && !v.isBoolean()) {
            throw new ApiException(400, "/" + name + ": expected true or false");
        }
        return v.asBoolean(false);
    }

    private static List<String> strings(JsonNode body, String name) throws ApiException {
        JsonNode v = body.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new ApiException(400, "/" + name + ": expected a list of strings");
            }
            out.add(item.asText());
        }
        if (!v.isArray()) {
            throw new ApiException(400, "/" + name + ": expected a list of strings");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> extraVars(JsonNode body) throws ApiException {
        JsonNode vars = body.path("extraVars");
        if (vars.isMissingNode() || vars.isNull()) {
            return Map.of();
        }
        if (!vars.isObject()) {
            throw new ApiException(400, "/extraVars: expected an object of variables");
        }
        Map<String, Object> values = ProtocolJson.MAPPER.convertValue(vars, Map.class);
        for (Map.Entry<String, Object> var : values.entrySet()) {
            String at = ExtraVarsData.markupAt(var.getValue());
            if (at != null) {
                throw new ApiException(400, "/extraVars/" + Problem.printable(var.getKey()) + at + ": " + ExtraVarsData.PROBLEM);
            }
        }
        return values;
    }

    /**
     * Server-Sent Events: a running run's events so far, then live ones until it finishes; a finished
     * run's whole log. Every write waits for the client's socket to drain (a slow client is skipped ahead
     * or dropped, see {@link RunStream}; a log is read on as the client takes it), and {@link StreamSlots}
     * caps how many streams are open.
     */
    private void events(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        HttpServerResponse response = ctx.response();
        Runnable release;
        try {
            release = slots.take(id);
        } catch (ApiException e) {
            json(response, e.status(), e.body());
            return;
        }
        var live = runs.live(id);
        if (live.isPresent()) {
            streamLive(response, live.get(), release);
            return;
        }
        Path log = runs.logFile(id);
        if (log == null) {
            release.run();
            json(response, 404, Map.of("error", "no run '" + id + "'"));
            return;
        }
        vertx.executeBlocking(() -> Files.newBufferedReader(log, StandardCharsets.UTF_8), false).onComplete(open -> {
            if (open.failed()) {
                release.run();
                json(response, 500, Map.of("error", "cannot read the run's log: " + open.cause().getMessage()));
                return;
            }
            BufferedReader reader = open.result();
            Runnable done = () -> {
                release.run();
                vertx.executeBlocking(() -> {
                    reader.close();
                    return null;
                }, false);
            };
            startStream(response);
            response.closeHandler(v -> done.run());
            streamLog(response, reader, done);
        });
    }

    private void streamLive(HttpServerResponse response, LiveRun run, Runnable release) {
        startStream(response);
        Context context = vertx.getOrCreateContext();
        RunStream[] stream = new RunStream[1];
        Runnable pump = new Runnable() {
            @Override
            public void run() {
                if (response.ended() || response.closed()) {
                    return;
                }
                // frames go out in batches: one write (one system call) for many small output lines
                StringBuilder batch = new StringBuilder();
                LiveRun.Frame frame;
                while (!response.writeQueueFull() && (frame = stream[0].poll()) != null) {
                    batch.append(sse(frame.type(), frame.json()));
                    if (batch.length() >= WRITE_BATCH_CHARS) {
                        response.write(batch.toString());
                        batch.setLength(0);
                    }
                }
                if (!batch.isEmpty()) {
                    response.write(batch.toString());
                }
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> run());
                } else if (stream[0].over()) {
                    run.unsubscribe(stream[0]);
                    release.run();
                    response.end();
                }
            }
        };
        // the wake comes from the run's threads; the pump runs here a moment later, so that a run printing
        // thousands of lines a second costs each stream a few batched writes a second, not a task per line
        stream[0] = run.subscribe(() -> vertx.setTimer(WAKE_DELAY_MS, id -> context.runOnContext(v -> pump.run())));
        response.closeHandler(v -> {
            run.unsubscribe(stream[0]);
            release.run();
        });
        context.runOnContext(v -> pump.run());
    }

    /** Sends the log a batch at a time, reading the next batch only once the client has taken the last. */
    private void streamLog(HttpServerResponse response, BufferedReader reader, Runnable done) {
        vertx.executeBlocking(() -> readBatch(reader), false).onComplete(read -> {
            if (response.ended() || response.closed()) {
                return;
            }
            if (read.failed()) {
                LOG.warn("reading a run log failed: {}", read.cause().toString());
                done.run();
                response.end();
                return;
            }
            response.write(String.join("", read.result().frames()));
            if (read.result().last()) {
                done.run();
                response.end();
            } else if (response.writeQueueFull()) {
                response.drainHandler(v -> streamLog(response, reader, done));
            } else {
                streamLog(response, reader, done);
            }
        });
    }

    private record LogBatch(List<String> frames, boolean last) {
    }

    private static final int WRITE_BATCH_CHARS = 32 * 1024;
    private static final long WAKE_DELAY_MS = 50;
    private static final Pattern EVENT_TYPE = Pattern.compile("^\\{\"event\":\"([A-Za-z]+)\"");
    private static final int LOG_BATCH_CHARS = 64 * 1024;

    private static LogBatch readBatch(BufferedReader reader) throws IOException {
        List<String> frames = new ArrayList<>();
        int chars = 0;
        String line;
        while (chars < LOG_BATCH_CHARS && (line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = EVENT_TYPE.matcher(line);
            String type;
            if (m.find()) {
                type = m.group(1);
            } else {
                try {
                    type = RunEventJson.typeName(RunEventJson.read(line));
                } catch (JsonProcessingException e) {
                    // a last line cut short by a killed run
                    continue;
                }
            }
            String frame = sse(type, line);
            frames.add(frame);
            chars += frame.length();
        }
        return new LogBatch(frames, chars < LOG_BATCH_CHARS);
    }

    private static void startStream(HttpServerResponse response) {
        // a small write queue: a client that reads slowly is noticed after 64 KiB, not after megabytes
        response.setWriteQueueMaxSize(64 * 1024);
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        response.write(": rigger run events\n\n");
    }

    private static String sse(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    private static void json(HttpServerResponse response, int status, Object body) {
        if (response.ended()) {
            return;
        }
        String text;
        try {
            text = ProtocolJson.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            status = 500;
            text = "{\"error\":\"cannot encode the answer\"}";
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(text);
    }
}
