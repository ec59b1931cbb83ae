package dev.rigger.lab.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rigger.lab.LabException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An EC2 endpoint on 127.0.0.1 (plain HTTP) that answers the EC2 Query API as aws-sdk-java-v2 speaks it
 * (form-encoded {@code Action=…&Version=2016-11-15}, XML answers in the EC2 namespace, EC2's error XML and
 * codes), backed by a lab: instances are lab hosts, volumes sparse files on loop devices.
 *
 * <p>Every request, the test endpoints included, must be signed (AWS Signature V4) with the key pair made at
 * start and written 0600 to {@code <stateRoot>/<lab>/ec2-credentials} ({@link Ec2Credentials}); anything else is
 * refused with 403 ({@link SigV4Verifier}). An instance is root on this machine, so only the user who can read
 * that file may call the emulator. Security group rules are recorded and described but the lab network does
 * not enforce them. State (key pairs, groups, instances, volumes, tags) lives in
 * {@code <stateRoot>/<lab>/ec2-state.json} and survives a restart of the emulator.
 *
 * <p>For tests, the same server answers {@code GET/POST /_rigger/faults} (JSON {@link Ec2FaultSettings}),
 * {@code POST /_rigger/reset-faults} and {@code GET /_rigger/state} (the whole state as JSON).
 */
public final class Ec2Emulator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Ec2Emulator.class.getName());
    private static final String XML = "text/xml;charset=UTF-8";
    private static final String JSON = "application/json";
    private static final com.fasterxml.jackson.databind.ObjectWriter COMPACT = Ec2StateStore.JSON.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private final Ec2Service service;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Ec2Credentials credentials;
    private final SigV4Verifier verifier;

    private Ec2Emulator(Ec2Service service, HttpServer server, ExecutorService executor, Ec2Credentials credentials) {
        this.service = service;
        this.server = server;
        this.executor = executor;
        this.credentials = credentials;
        this.verifier = new SigV4Verifier(credentials);
    }

    /**
     * Makes the lab network, loads the saved state (resuming what was under way) and listens. Fails naming the
     * port if it is taken. A node image dockerd lacks is built by the first launch from an AMI that needs it (the
     * instance stays pending meanwhile).
     */
    public static Ec2Emulator start(Ec2EmulatorOptions options) {
        Ec2Service service = new Ec2Service(options);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 64);
        } catch (IOException e) {
            service.close();
            throw new LabException("EC2 emulator: cannot listen on 127.0.0.1:" + options.port() + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "ec2-emulator-http");
            t.setDaemon(true);
            return t;
        });
        Ec2Credentials credentials = Ec2Credentials.generate(new SecureRandom());
        try {
            credentials.writeTo(credentialsFile(options));
        } catch (RuntimeException e) {
            server.stop(0);
            executor.shutdownNow();
            service.close();
            throw e;
        }
        Ec2Emulator emulator = new Ec2Emulator(service, server, executor, credentials);
        server.createContext("/", emulator::api);
        server.createContext("/_rigger/", emulator::control);
        server.setExecutor(executor);
        server.start();
        return emulator;
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint override for the SDK. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Ec2EmulatorOptions options() {
        return service.options;
    }

    /** The key pair this run of the emulator accepts (made at start; see {@link #credentialsFile(Ec2EmulatorOptions)}). */
    public Ec2Credentials credentials() {
        return credentials;
    }

    /** {@code <stateRoot>/<lab>/ec2-credentials}: the AWS shared-credentials file (0600) of the running emulator. */
    public static Path credentialsFile(Ec2EmulatorOptions options) {
        return options.labOptions().labDir().resolve(Ec2Credentials.FILE_NAME);
    }

    /** The faults in force. */
    public Ec2FaultSettings faults() {
        synchronized (service) {
            return service.faults.settings();
        }
    }

    /** Sets the faults (restarts the throttling count). */
    public void setFaults(Ec2FaultSettings faults) {
        synchronized (service) {
            service.faults.set(faults.throttleRate(), faults.insufficientCapacityLaunches(), faults.stateDelaySec());
        }
    }

    public void resetFaults() {
        synchronized (service) {
            service.faults.reset();
        }
    }

    /** The whole state as JSON, as {@code GET /_rigger/state} shows it. */
    public String stateJson() {
        return service.stateJson();
    }

    /**
     * Terminates every instance (host removed), deletes every volume (loop device released, file deleted), key
     * pair and security group, and saves the empty state; returns when all of it is gone.
     */
    public void deleteEverything() {
        service.deleteEverything();
    }

    private void api(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                error(exchange, requestId, new Ec2ApiException("InvalidAction",
                        "The EC2 Query API takes POST requests with a form-encoded body"));
                return;
            }
            byte[] raw = exchange.getRequestBody().readAllBytes();
            try {
                verify(exchange, raw);
            } catch (Ec2ApiException e) {
                error(exchange, requestId, e);
                return;
            }
            String body = new String(raw, StandardCharsets.UTF_8);
            QueryRequest request = QueryRequest.parse(body);
            try {
                String xml = service.handle(request).replace("%REQUEST_ID%", requestId);
                send(exchange, 200, XML, xml, requestId);
            } catch (Ec2ApiException e) {
                error(exchange, requestId, e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "EC2 emulator: " + request.action() + " failed", e);
                error(exchange, requestId, new Ec2ApiException("InternalError",
                        "An internal error has occurred: " + e.getMessage(), 500));
            }
        }
    }

    private static void error(HttpExchange exchange, String requestId, Ec2ApiException e) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>"
                + XmlWriter.escape(e.code()) + "</Code><Message>" + XmlWriter.escape(e.getMessage())
                + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>";
        send(exchange, e.status(), XML, xml, requestId);
    }

    private void verify(HttpExchange exchange, byte[] body) {
        Headers headers = exchange.getRequestHeaders();
        URI uri = exchange.getRequestURI();
        verifier.verify(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), name -> {
            List<String> values = headers.get(name);
            return values == null ? null : String.join(",", values);
        }, body, Instant.now());
    }

    private void control(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            try {
                verify(exchange, raw);
            } catch (Ec2ApiException e) {
                error(exchange, UUID.randomUUID().toString(), e);
                return;
            }
            try {
                switch (method + " " + path) {
                    case "GET /_rigger/faults" -> sendFaults(exchange);
                    case "POST /_rigger/faults" -> {
                        JsonNode json = Ec2StateStore.JSON.readTree(raw);
                        synchronized (service) {
                            service.faults.set(
                                    json.hasNonNull("throttleRate") ? json.get("throttleRate").asDouble() : null,
                                    json.hasNonNull("insufficientCapacityLaunches")
                                            ? json.get("insufficientCapacityLaunches").asInt() : null,
                                    json.hasNonNull("stateDelaySec") ? json.get("stateDelaySec").asDouble() : null);
                        }
                        sendFaults(exchange);
                    }
                    case "POST /_rigger/reset-faults" -> {
                        resetFaults();
                        sendFaults(exchange);
                    }
                    case "GET /_rigger/state" -> send(exchange, 200, JSON, stateJson(), null);
                    default -> send(exchange, 404, JSON, "{\"error\":\"no such endpoint: " + method + " " + path + "\"}", null);
                }
            } catch (IllegalArgumentException | IOException e) {
                send(exchange, 400, JSON, Ec2StateStore.JSON.createObjectNode().put("error", e.getMessage()).toString(), null);
            }
        }
    }

    private void sendFaults(HttpExchange exchange) throws IOException {
        send(exchange, 200, JSON, COMPACT.writeValueAsString(faults()), null);
    }

    private static void send(HttpExchange exchange, int status, String type, String body, String requestId)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        if (requestId != null) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("EC2 emulator: the client went away", e);
        }
    }

    /** Stops listening and the background work; the lab hosts and volumes stay (see {@link #deleteEverything}). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        service.close();
    }
}
