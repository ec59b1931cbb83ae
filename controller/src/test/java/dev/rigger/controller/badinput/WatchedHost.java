package dev.rigger.controller.badinput;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A socket posing as the inventory's only host: a run that got past validation would connect to it.
 * The kernel completes the handshake on its own, so a connection is in the backlog by the time the CLI
 * returns, and a non-blocking accept finds it without waiting.
 */
final class WatchedHost implements AutoCloseable {
    private final ServerSocketChannel server;

    WatchedHost() throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.configureBlocking(false);
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** An inventory file whose host {@code node1} is this socket. */
    Path writeInventory(Path file) throws IOException {
        return TestIdentity.inventory(file, port());
    }

    /** True when someone connected since the last call (the connection is closed at once). */
    boolean wasContacted() throws IOException {
        boolean contacted = false;
        SocketChannel c;
        while ((c = server.accept()) != null) {
            c.close();
            contacted = true;
        }
        return contacted;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
