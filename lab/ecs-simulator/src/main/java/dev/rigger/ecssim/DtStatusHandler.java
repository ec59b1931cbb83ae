package dev.rigger.ecssim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /stats/dt/DTInitStat} on the diagnostics port (plain HTTP, no auth, XML). ECS's directory
 * tables come up over time after boot: here {@code unready_dt_num} falls linearly from the total to 0
 * over ECSSIM_DT_READY_SEC after the port opens, and {@code unknown_dt_num} is 0. The total is 384, the
 * "small" DIRECTORY_TABLE size of CE's ecsconf; the {@code <results><entry>} wrapping is [inferred]
 * (clients read the children of {@code entry}).
 */
public final class DtStatusHandler implements HttpHandler {
    static final int TOTAL_DT = 384;

    private final long openedAtMillis;
    private final long readyMillis;

    public DtStatusHandler(long openedAtMillis, long dtReadySec) {
        this.openedAtMillis = openedAtMillis;
        this.readyMillis = dtReadySec * 1000;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        int status;
        String body;
        if (!path.equals("/stats/dt/DTInitStat") && !path.equals("/stats/dt/DTInitStat/")) {
            status = 404;
            body = "<error><code>2000</code><description>Unable to find entity in request URL</description></error>";
        } else if (!exchange.getRequestMethod().equals("GET")) {
            status = 405;
            body = "<error><code>1007</code><description>Method not supported</description></error>";
        } else {
            status = 200;
            body = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><results><entry>"
                    + "<total_dt_num>" + TOTAL_DT + "</total_dt_num>"
                    + "<unready_dt_num>" + unready(System.currentTimeMillis()) + "</unready_dt_num>"
                    + "<unknown_dt_num>0</unknown_dt_num></entry></results>";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        ConsoleLog.request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), status);
    }

    int unready(long nowMillis) {
        long left = openedAtMillis + readyMillis - nowMillis;
        if (left <= 0 || readyMillis == 0) {
            return 0;
        }
        return (int) Math.ceil((double) TOTAL_DT * left / readyMillis);
    }
}
