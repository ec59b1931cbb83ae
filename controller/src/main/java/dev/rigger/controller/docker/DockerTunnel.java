package dev.rigger.controller.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.session.ClientSession;

/**
 * A UNIX socket on the controller that leads to a UNIX socket on a host (its {@code /var/run/docker.sock}):
 * every accepted connection becomes one {@link DirectStreamLocalChannel} in the host's SSH session. The
 * socket is 0600 inside a 0700 directory, never a TCP port, because whoever reaches it is root on the host.
 */
public final class DockerTunnel implements AutoCloseable {
    public static final String DOCKER_SOCKET = "/var/run/docker.sock";

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
    private static final int BUFFER = 64 * 1024;

    private final String host;
    private final ClientSession session;
    private final String remoteSocket;
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final ExecutorService pumps;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger channelsOpened = new AtomicInteger();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private volatile boolean closed;

    private DockerTunnel(String host, ClientSession session, String remoteSocket, Path dir, Path socket,
                         ServerSocketChannel server) {
        this.host = host;
        this.session = session;
        this.remoteSocket = remoteSocket;
        this.dir = dir;
        this.socket = socket;
        this.server = server;
        AtomicInteger threads = new AtomicInteger();
        this.pumps = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "docker-tunnel-" + host + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Listens on a fresh socket in a new private directory under the system's temporary directory (short
     * enough for the 108-byte limit of UNIX socket paths) and starts accepting.
     *
     * @param host         the host's name, for thread names and messages
     * @param remoteSocket the socket on the host, usually {@link #DOCKER_SOCKET}
     */
    public static DockerTunnel open(String host, ClientSession session, String remoteSocket) throws IOException {
        Path dir = Files.createTempDirectory("rigger-docker-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = dir.resolve("docker.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
            throw e;
        }
        DockerTunnel tunnel = new DockerTunnel(host, session, remoteSocket, dir, socket, server);
        tunnel.pumps.execute(tunnel::acceptLoop);
        return tunnel;
    }

    /** The controller-side socket file; give docker-java {@code unix://} and this path. */
    public Path socket() {
        return socket;
    }

    /** SSH channels opened so far: HTTP keep-alive makes this much smaller than the number of requests. */
    public int channelsOpened() {
        return channelsOpened.get();
    }

    /** Why the last channel to the host's socket could not be opened, or null. */
    public String lastFailure() {
        return lastFailure.get();
    }

    public String describe() {
        return remoteSocket + " on " + host + " (through SSH)";
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // the accept loop ends either way
        }
        connections.forEach(Connection::close);
        pumps.shutdownNow();
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover empty 0700 directory in the temporary directory harms no one
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel local;
            try {
                local = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                lastFailure.set("accept on " + socket.getFileName() + " failed: " + e.getMessage());
                continue;
            }
            try {
                pumps.execute(() -> connect(local));
            } catch (RuntimeException e) {
                // rejected after close
                closeQuietly(local);
            }
        }
    }

    private void connect(SocketChannel local) {
        DirectStreamLocalChannel channel;
        try {
            channel = DirectStreamLocalChannel.create(session, remoteSocket);
            channel.open().verify(OPEN_TIMEOUT);
            channelsOpened.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            lastFailure.set("cannot open " + describe() + ": " + message(e));
            closeQuietly(local);
            return;
        }
        Connection connection = new Connection(local, channel);
        connections.add(connection);
        try {
            pumps.execute(connection::download);
        } catch (RuntimeException e) {
            connection.close();
            return;
        }
        connection.upload();
    }

    /** One local client and its channel; each direction is pumped by its own thread. */
    private final class Connection {
        private final SocketChannel local;
        private final DirectStreamLocalChannel channel;
        private final AtomicInteger directionsDone = new AtomicInteger();

        Connection(SocketChannel local, DirectStreamLocalChannel channel) {
            this.local = local;
            this.channel = channel;
        }

        /** Local client to host. Reads and writes use the SocketChannel directly: its streams share one lock. */
        void upload() {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            try (OutputStream toHost = channel.getInvertedIn()) {
                while (true) {
                    buffer.clear();
                    int n = local.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    toHost.write(buffer.array(), 0, n);
                    // HTTP is request/response: each piece must leave now, not when a packet fills
                    toHost.flush();
                }
                // closing sends EOF, which tells the host's socket the request is complete
            } catch (IOException e) {
                close();
                return;
            }
            finished();
        }

        /** Host to local client. */
        void download() {
            byte[] buffer = new byte[BUFFER];
            try {
                InputStream fromHost = channel.getInvertedOut();
                for (int n = fromHost.read(buffer); n >= 0; n = fromHost.read(buffer)) {
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        local.write(chunk);
                    }
                }
                local.shutdownOutput();
            } catch (IOException e) {
                close();
                return;
            }
            finished();
        }

        private void finished() {
            if (directionsDone.incrementAndGet() == 2) {
                close();
            }
        }

        void close() {
            connections.remove(this);
            channel.close(false);
            closeQuietly(local);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
