package dev.rigger.protocol.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.protocol.ProtocolException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A small blocking client of the Vert.x TCP event-bus bridge, on a plain socket: what the agent uses,
 * so it needs no Vert.x. One reader thread delivers incoming messages to handlers; writes are serialised.
 */
public final class BridgeClient implements Closeable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<String, Consumer<BridgeFrame>> handlers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final String replyPrefix = "rigger.reply." + UUID.randomUUID() + ".";
    private final AtomicLong replySeq = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread reader;

    private BridgeClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.reader = new Thread(this::readLoop, "bridge-reader");
        this.reader.setDaemon(true);
    }

    public static BridgeClient connect(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        BridgeClient client = new BridgeClient(socket);
        client.reader.start();
        return client;
    }

    /** Completes when the connection ends, for whatever reason. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public void send(String address, JsonNode body) throws IOException {
        write(BridgeFrame.send(address, body, null));
    }

    public void publish(String address, JsonNode body) throws IOException {
        write(BridgeFrame.publish(address, body));
    }

    /** Registers a handler; the bridge never acknowledges this, so publish something after it if the peer must know. */
    public void register(String address, Consumer<BridgeFrame> handler) throws IOException {
        handlers.put(address, handler);
        write(BridgeFrame.register(address));
    }

    /**
     * Sends and waits for the reply. The bridge's own timeout for agent requests is fixed at 30 s, so
     * a shorter one is enforced here.
     */
    public JsonNode request(String address, JsonNode body, Duration timeout) throws IOException, TimeoutException {
        String replyAddress = replyPrefix + replySeq.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(replyAddress, reply);
        try {
            write(BridgeFrame.send(address, body, replyAddress));
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a reply from " + address, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause.getMessage(), cause);
        } finally {
            pending.remove(replyAddress);
        }
    }

    /** Replies to a message that carried a reply address. */
    public void reply(BridgeFrame request, JsonNode body) throws IOException {
        if (request.replyAddress() == null) {
            throw new ProtocolException("message on " + request.address() + " expects no reply");
        }
        write(BridgeFrame.send(request.replyAddress(), body, null));
    }

    public void ping() throws IOException {
        write(BridgeFrame.ping());
    }

    private void write(BridgeFrame frame) throws IOException {
        byte[] bytes = FrameCodec.encode(frame);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private void readLoop() {
        IOException failure = null;
        try {
            BridgeFrame frame;
            while ((frame = FrameCodec.read(in)) != null) {
                dispatch(frame);
            }
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException("bad frame from bridge: " + e.getMessage(), e);
        }
        IOException reason = failure != null ? failure : new IOException("bridge connection closed");
        pending.values().forEach(f -> f.completeExceptionally(reason));
        closed.complete(null);
    }

    private void dispatch(BridgeFrame frame) {
        switch (frame.type()) {
            case "message" -> {
                CompletableFuture<JsonNode> reply = pending.get(frame.address());
                if (reply != null) {
                    reply.complete(frame.body());
                    return;
                }
                Consumer<BridgeFrame> handler = handlers.get(frame.address());
                if (handler != null) {
                    handler.accept(frame);
                }
            }
            case "err" -> {
                CompletableFuture<JsonNode> reply = frame.address() == null ? null : pending.get(frame.address());
                IOException error = new IOException("bridge refused: " + frame.message()
                        + (frame.failureType() != null ? " (" + frame.failureType() + ")" : ""));
                if (reply != null) {
                    reply.completeExceptionally(error);
                } else {
                    // an err without a reply address answers a send/publish/register that was refused
                    pending.values().forEach(f -> f.completeExceptionally(error));
                }
            }
            default -> {
                // pong and anything newer: nothing to do
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already gone
        }
    }
}
