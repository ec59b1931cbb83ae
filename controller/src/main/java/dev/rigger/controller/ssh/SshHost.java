package dev.rigger.controller.ssh;

import dev.rigger.controller.ssh.SshHostException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** One authenticated SSH session to one host: commands, uploads, remote forwards. */
public final class SshHost implements AutoCloseable {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
    private static final int UPLOAD_CHUNK = 64 * 1024;
    private static final int COMMAND_IN_MESSAGES = 80;

    private final SshTarget target;
    private final ClientSession session;
    private final AtomicLong bytesSent = new AtomicLong();

    SshHost(SshTarget target, ClientSession session) {
        this.target = target;
        this.session = session;
    }

    public SshTarget target() {
        return target;
    }

    /** The MINA session, for channels this class does not offer (e.g. streamlocal to docker.sock). */
    public ClientSession session() {
        return session;
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    /** Bytes uploaded through this session so far. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /**
     * Runs a command and collects its output. A non-zero exit or output on stderr is a result, not an
     * error; only a failed channel, a lost session or the timeout throw.
     */
    public ExecResult exec(String command, Duration timeout) throws SshHostException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ChannelExec channel = null;
        try {
            channel = session.createExecChannel(command);
            channel.setOut(stdout);
            channel.setErr(stderr);
            channel.open().verify(OPEN_TIMEOUT);
            // nothing to send: EOF on stdin keeps commands that read it from waiting for ever
            channel.getInvertedIn().close();
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                channel.close(true);
                throw new SshHostException(Kind.TIMED_OUT, "command on " + target.describe()
                        + " did not finish within " + timeout.toSeconds() + " s: " + shorten(command));
            }
            Integer exitCode = ExitStatus.of(channel.getExitStatus(), channel.getExitSignal());
            if (exitCode == null) {
                throw lost("the session ended before the command exited: " + shorten(command), null);
            }
            return new ExecResult(exitCode, stdout.toString(StandardCharsets.UTF_8),
                    stderr.toString(StandardCharsets.UTF_8));
        } catch (SshHostException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close(true);
            }
            throw failure(Kind.COMMAND, "could not run a command on " + target.describe() + " (" + shorten(command)
                    + "): " + message(e), e);
        }
    }

    /**
     * Starts a command whose output is handed out line by line as it arrives. The consumers run on SSH
     * I/O threads and must not block.
     */
    public RemoteProcess start(String command, Consumer<String> stdoutLine, Consumer<String> stderrLine)
            throws SshHostException {
        LineSplitter out = new LineSplitter(stdoutLine);
        LineSplitter err = new LineSplitter(stderrLine);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        try {
            ChannelExec channel = session.createExecChannel(command);
            channel.setOut(out);
            channel.setErr(err);
            channel.addCloseFutureListener(closed -> {
                // MINA reads a session's packets one after the other: all output was written before CLOSE
                out.finish();
                err.finish();
                Integer code = ExitStatus.of(channel.getExitStatus(), channel.getExitSignal());
                if (code != null) {
                    exit.complete(code);
                } else {
                    exit.completeExceptionally(lost("the session or channel ended before the command exited: "
                            + shorten(command), null));
                }
            });
            channel.open().verify(OPEN_TIMEOUT);
            return new RemoteProcess(channel, exit);
        } catch (IOException | RuntimeException e) {
            throw failure(Kind.COMMAND, "could not start a command on " + target.describe() + " ("
                    + shorten(command) + "): " + message(e), e);
        }
    }

    /**
     * Copies a file to the host so that {@code remotePath} only ever holds the complete file: the data go to
     * {@code remotePath.part}, which gets the mode and is then renamed over the target (OpenSSH
     * posix-rename; SFTP v3's own rename cannot replace a file). Missing parent directories are created.
     */
    public void upload(Path local, String remotePath, int mode) throws SshHostException {
        String part = remotePath + ".part";
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            makeParents(sftp, remotePath);
            try (InputStream in = Files.newInputStream(local);
                 OutputStream out = sftp.write(part, UPLOAD_CHUNK, SftpClient.OpenMode.Write,
                         SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate)) {
                byte[] buffer = new byte[UPLOAD_CHUNK];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    bytesSent.addAndGet(n);
                }
            }
            sftp.setStat(part, new SftpClient.Attributes().perms(mode));
            OpenSSHPosixRenameExtension rename = sftp.getExtension(OpenSSHPosixRenameExtension.class);
            if (rename == null || !rename.isSupported()) {
                throw new SshHostException(Kind.TRANSFER, target.describe() + " does not offer the SFTP"
                        + " posix-rename@openssh.com extension, which an atomic upload to " + remotePath + " needs");
            }
            rename.posixRename(part, remotePath);
        } catch (SshHostException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failure(Kind.TRANSFER, "could not upload " + local.getFileName() + " to " + remotePath + " on "
                    + target.describe() + ": " + message(e), e);
        }
    }

    /**
     * Makes the host listen on its 127.0.0.1 and pass each connection to the controller's
     * 127.0.0.1:{@code localPort}; returns the port the host bound. Connections are only let through when
     * the transport permits that local port.
     */
    public int startRemoteForward(int localPort) throws SshHostException {
        try {
            SshdSocketAddress bound = session.startRemotePortForwarding(
                    new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", localPort));
            return bound.getPort();
        } catch (IOException | RuntimeException e) {
            throw failure(Kind.FORWARD, target.describe() + " refused to forward a port on its 127.0.0.1 to"
                    + " the controller's port " + localPort + ": " + message(e), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (IOException e) {
            // closing is best effort: the session is gone either way
        }
    }

    private void makeParents(SftpClient sftp, String remotePath) throws IOException {
        int slash = remotePath.lastIndexOf('/');
        if (slash <= 0) {
            return;
        }
        String dir = remotePath.substring(0, slash);
        try {
            SftpClient.Attributes attributes = sftp.stat(dir);
            if (!attributes.isDirectory()) {
                throw new SshHostException(Kind.TRANSFER, dir + " on " + target.describe() + " is not a directory");
            }
            return;
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw e;
            }
        }
        makeParents(sftp, dir);
        try {
            sftp.mkdir(dir);
        } catch (SftpException e) {
            // a concurrent upload may have made it meanwhile
            if (!sftp.stat(dir).isDirectory()) {
                throw e;
            }
        }
    }

    private SshHostException failure(Kind kind, String message, Throwable cause) {
        if (!session.isOpen()) {
            return lost(message, cause);
        }
        return new SshHostException(kind, message, cause);
    }

    private SshHostException lost(String detail, Throwable cause) {
        return new SshHostException(Kind.CONNECTION_LOST, "SSH session to " + target.describe() + " was lost: "
                + detail, cause);
    }

    static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return root == e || e.getMessage() == null || e.getMessage().contains(text) ? text
                : e.getMessage() + " (" + text + ")";
    }

    private static String shorten(String command) {
        String oneLine = command.replace('\n', ' ');
        return oneLine.length() <= COMMAND_IN_MESSAGES ? oneLine : oneLine.substring(0, COMMAND_IN_MESSAGES) + "…";
    }
}
