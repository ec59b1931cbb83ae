package dev.rigger.controller.docker;

import java.io.IOException;
import org.apache.sshd.client.channel.AsyncCapableClientChannel;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * An OpenSSH {@code direct-streamlocal@openssh.com} channel: a byte stream to a UNIX socket on the host
 * ({@code ssh -L local:/var/run/docker.sock}). MINA has no client class for it. Write to
 * {@link #getInvertedIn()} (closing it sends EOF), read from {@link #getInvertedOut()}.
 */
public final class DirectStreamLocalChannel extends AsyncCapableClientChannel {
    static final String TYPE = "direct-streamlocal@openssh.com";

    private final String socketPath;

    private DirectStreamLocalChannel(String socketPath) {
        super(TYPE, false);
        this.socketPath = socketPath;
    }

    /** A channel registered with the session, not yet opened: call {@link #open()} and verify it. */
    public static DirectStreamLocalChannel create(ClientSession session, String socketPath) throws IOException {
        DirectStreamLocalChannel channel = new DirectStreamLocalChannel(socketPath);
        // what ClientSession.createDirectTcpipChannel does for its own channel type
        session.getService(ConnectionService.class).registerChannel(channel);
        return channel;
    }

    public String socketPath() {
        return socketPath;
    }

    /**
     * OpenSSH sends EOF when the socket's peer closes, but CLOSE only once we sent EOF too; the base class
     * merely records the EOF, so a reader of the inverted output would wait for ever. Ending the pipe lets it
     * see the end of the stream.
     */
    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        if (out != null) {
            out.close();
        }
    }

    @Override
    public synchronized OpenFuture open() throws IOException {
        if (closeFuture.isClosed()) {
            throw new SshException("the SSH session is closed; cannot open a channel to " + socketPath);
        }
        openFuture = new DefaultOpenFuture(socketPath, futureLock);
        LocalWindow window = getLocalWindow();
        Buffer buffer = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_OPEN, socketPath.length() + 64);
        buffer.putString(TYPE);
        buffer.putUInt(getChannelId());
        buffer.putUInt(window.getSize());
        buffer.putUInt(window.getPacketSize());
        buffer.putString(socketPath);
        // reserved string and uint32 of the OpenSSH extension (PROTOCOL, section 2.4)
        buffer.putString("");
        buffer.putUInt(0L);
        writePacket(buffer);
        return openFuture;
    }
}
