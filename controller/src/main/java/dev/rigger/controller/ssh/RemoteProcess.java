package dev.rigger.controller.ssh;

import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.client.channel.ChannelExec;

/**
 * A command running on a host, its output streamed line by line. The line consumers run on the SSH I/O
 * threads and must not block.
 */
public final class RemoteProcess implements AutoCloseable {

    private final ChannelExec channel;
    private final CompletableFuture<Integer> exit;

    RemoteProcess(ChannelExec channel, CompletableFuture<Integer> exit) {
        this.channel = channel;
        this.exit = exit;
    }

    /** The command's stdin; closing it sends EOF. Flush after writing: data is sent on flush. */
    public OutputStream stdin() {
        return channel.getInvertedIn();
    }

    /**
     * Completes with the exit code (128 + n for signal n) once the command has ended and every output
     * line has been delivered; completes exceptionally with {@link SshHostException} when the session or
     * channel ends without an exit status.
     */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    public boolean isRunning() {
        return !exit.isDone();
    }

    /** Closes the channel; the remote command sees its stdin and output close. */
    @Override
    public void close() {
        channel.close(false);
    }
}
