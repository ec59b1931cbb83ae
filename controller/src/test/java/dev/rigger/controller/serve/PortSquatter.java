package dev.rigger.controller.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * A local user's program listening on the port {@code serve.json} names, as if it were {@code rigger serve}:
 * it keeps every byte it is sent and answers each request with what {@code reply} makes of the request head.
 */
final class PortSquatter implements AutoCloseable {
    private final ServerSocket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Thread acceptor;
    private volatile int requests;

    PortSquatter(UnaryOperator<String> reply) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket c = socket.accept()) {
                    c.setSoTimeout(3000);
                    String head = readHead(c.getInputStream());
                    requests++;
                    readRest(c);
                    String response = reply.apply(head);
                    if (response != null) {
                        OutputStream out = c.getOutputStream();
                        out.write(response.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (IOException e) {
                    // closed, or a client that gave up: keep listening
                }
            }
        }, "squatter");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** An HTTP answer with a JSON body. */
    static String http(int status, String json) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + json;
    }

    private String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            synchronized (received) {
                received.write(b);
            }
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** A body, if the client sends one: kept too, waiting briefly for it. */
    private void readRest(Socket c) throws IOException {
        c.setSoTimeout(200);
        byte[] buffer = new byte[8192];
        try {
            for (int n = c.getInputStream().read(buffer); n > 0; n = c.getInputStream().read(buffer)) {
                synchronized (received) {
                    received.write(buffer, 0, n);
                }
            }
        } catch (SocketTimeoutException e) {
            // nothing more came
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    int requests() {
        return requests;
    }

    /** Everything any client sent, as text. */
    String received() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
