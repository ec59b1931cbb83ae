package dev.rigger.controller.modules.waitfor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerPlan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code wait_for}: polls until a TCP port answers or a URL returns a status, from the controller,
 * never with a fixed sleep. It changes nothing, so it reports ok; in check mode it probes once.
 *
 * <pre>{@code {"module": "wait_for", "args": {"port": 4443, "timeoutSec": 600}}
 * {"module": "wait_for", "args": {"url": "http://{{ inventory_hostname }}:9101/", "status": 200}}}</pre>
 *
 * Arguments: {@code host} (default: the target's address), {@code port}, {@code url}, {@code status}
 * (default 200), {@code timeoutSec} (default 300), {@code delaySec} between probes (default 1).
 */
public final class WaitForModule implements ControllerModule {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public ControllerPlan plan(ObjectNode args, ControllerModuleContext context) throws Exception {
        String host = args.path("host").asText(context.address());
        String url = args.path("url").asText(null);
        int port = args.path("port").asInt(0);
        if (url == null && port == 0) {
            throw new IllegalArgumentException("args: give port or url");
        }
        int status = args.path("status").asInt(200);
        long timeoutMs = (long) (args.path("timeoutSec").asDouble(300) * 1000);
        long delayMs = (long) (args.path("delaySec").asDouble(1) * 1000);
        String what = url != null ? url + " returns " + status : host + ":" + port + " answers";
        long started = System.nanoTime();
        String last = "";
        while (true) {
            try {
                if (url != null) {
                    int got = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (got == status) {
                        break;
                    }
                    last = "status " + got;
                } else {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(host, port), 3000);
                    }
                    break;
                }
            } catch (IOException e) {
                last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            long waited = (System.nanoTime() - started) / 1_000_000;
            if (context.check()) {
                return ControllerPlan.noop("would wait until " + what + " (now: " + last + ")", Map.of());
            }
            if (waited >= timeoutMs) {
                throw new IOException("timed out after " + waited / 1000 + " s waiting until " + what + "; last: " + last);
            }
            context.output().accept("waiting until " + what + " (" + waited / 1000 + " s; " + last + ")");
            Thread.sleep(delayMs);
        }
        long took = (System.nanoTime() - started) / 1_000_000;
        return ControllerPlan.noop(what + " after " + took + " ms", Map.of("elapsedMs", took));
    }
}
