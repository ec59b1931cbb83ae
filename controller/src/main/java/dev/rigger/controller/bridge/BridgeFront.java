package dev.rigger.controller.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What agents (and anyone on a host who can reach its end of the forward) connect to: it passes the bytes on to
 * the event-bus bridge behind it, and bounds what a connection can cost before it proved a token. The bridge itself
 * buffers a whole frame of any announced length and keeps a silent connection for ever; here a frame header
 * announcing more than 1 MiB before hello (16 MiB after) closes the connection on the header, a connection without
 * a hello is closed after the hello timeout, and of the connections without a hello only the newest
 * {@code maxPending} are kept: a flood pushes out the oldest, so an agent that connects and says hello at once
 * still gets in. The bridge is dialled only when a client first sends something, so a silent connection costs
 * the bridge nothing.
 */
final class BridgeFront {
    static final int HELLO_FRAME_LIMIT = 1 << 20;
    static final int FRAME_LIMIT = 16 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(BridgeFront.class);

    private final Vertx vertx;
    private final int bridgePort;
    private final long helloTimeoutMs;
    private final int maxPending;
    private final NetServer server;
    private final NetClient client;
    private final Map<Integer, Connection> byBridgeSidePort = new ConcurrentHashMap<>();
    private final Deque<Connection> pending = new ConcurrentLinkedDeque<>();
    private final AtomicInteger pendingCount = new AtomicInteger();

    BridgeFront(Vertx vertx, int bridgePort, long helloTimeoutMs, int maxPending) {
        this.vertx = vertx;
        this.bridgePort = bridgePort;
        this.helloTimeoutMs = helloTimeoutMs;
        this.maxPending = maxPending;
        this.server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true));
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
        server.connectHandler(this::accept);
    }

    Future<NetServer> listen(int port, String host) {
        return server.listen(port, host);
    }

    Future<Void> close() {
        return server.close().eventually(client::close);
    }

    /** Connections that have not said a valid hello yet. */
    int pending() {
        return pendingCount.get();
    }

    /**
     * The bridge admitted a hello on the connection that reached it from {@code bridgeSidePort} (the front's end of
     * that connection): its frames may now be larger, and it is no longer on the clock.
     */
    void helloAdmitted(int bridgeSidePort) {
        Connection connection = byBridgeSidePort.get(bridgeSidePort);
        if (connection != null) {
            connection.limiter.limit(FRAME_LIMIT);
            connection.leavePending();
        }
    }

    private void accept(NetSocket outer) {
        Connection connection = new Connection(outer);
        pending.addLast(connection);
        if (pendingCount.incrementAndGet() > maxPending) {
            evictOldest();
        }
        connection.timer = vertx.setTimer(helloTimeoutMs, id -> {
            if (connection.isPending()) {
                LOG.debug("bridge: closing a connection that said no valid hello within {} ms", helloTimeoutMs);
                connection.close();
            }
        });
        outer.closeHandler(v -> connection.close());
        outer.exceptionHandler(e -> connection.close());
        outer.handler(connection::received);
    }

    private void evictOldest() {
        Connection oldest = pending.pollFirst();
        // the hello and the eviction race for the same flag: a connection is either admitted or closed, not both
        if (oldest != null && oldest.leavePending()) {
            LOG.debug("bridge: more than {} connections without a hello; closed the oldest", maxPending);
            oldest.close();
        }
    }

    private final class Connection {
        final NetSocket outer;
        final FrameLimiter limiter = new FrameLimiter(HELLO_FRAME_LIMIT);
        final AtomicBoolean isPending = new AtomicBoolean(true);
        final AtomicBoolean closed = new AtomicBoolean();
        volatile NetSocket inner;
        volatile long timer = -1;
        private Buffer early;

        Connection(NetSocket outer) {
            this.outer = outer;
        }

        boolean isPending() {
            return isPending.get();
        }

        /** Bytes from the client: checked, then passed on; the bridge is dialled only once a client says something. */
        void received(Buffer chunk) {
            long announced = limiter.accept(chunk);
            if (announced >= 0) {
                LOG.warn("bridge: closing a connection{} whose frame header announced {} bytes (limit {})",
                        isPending() ? " without a hello" : "", announced, isPending() ? HELLO_FRAME_LIMIT : FRAME_LIMIT);
                close();
                return;
            }
            NetSocket bridgeSide = inner;
            if (bridgeSide != null) {
                bridgeSide.write(chunk);
                if (bridgeSide.writeQueueFull()) {
                    outer.pause();
                    bridgeSide.drainHandler(v -> outer.resume());
                }
                return;
            }
            if (early != null) {
                // read before the pause took effect: a few socket reads at most
                early.appendBuffer(chunk);
                return;
            }
            early = chunk.copy();
            outer.pause();
            client.connect(bridgePort, "127.0.0.1").onComplete(result -> {
                if (result.failed()) {
                    LOG.warn("bridge: cannot reach the event-bus bridge on 127.0.0.1:{}: {}", bridgePort,
                            result.cause().getMessage());
                    close();
                } else {
                    attach(result.result());
                }
            });
        }

        private void attach(NetSocket bridgeSide) {
            if (closed.get()) {
                bridgeSide.close();
                return;
            }
            inner = bridgeSide;
            byBridgeSidePort.put(bridgeSide.localAddress().port(), this);
            bridgeSide.closeHandler(v -> close());
            bridgeSide.exceptionHandler(e -> close());
            bridgeSide.handler(chunk -> {
                outer.write(chunk);
                if (outer.writeQueueFull()) {
                    bridgeSide.pause();
                    outer.drainHandler(v -> bridgeSide.resume());
                }
            });
            bridgeSide.write(early);
            early = null;
            outer.resume();
        }

        /** True for the one caller that took the connection off the pending list. */
        boolean leavePending() {
            if (!isPending.compareAndSet(true, false)) {
                return false;
            }
            pending.remove(this);
            pendingCount.decrementAndGet();
            long id = timer;
            if (id >= 0) {
                vertx.cancelTimer(id);
            }
            return true;
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            leavePending();
            outer.close();
            NetSocket bridgeSide = inner;
            if (bridgeSide != null) {
                byBridgeSidePort.remove(bridgeSide.localAddress().port(), this);
                bridgeSide.close();
            }
        }
    }
}
