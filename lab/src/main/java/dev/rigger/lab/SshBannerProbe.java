package dev.rigger.lab;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Tells whether sshd answers: it speaks first, with an "SSH-2.0-…" line. */
final class SshBannerProbe {
    static final String BANNER = "SSH-2.0";

    private SshBannerProbe() {
    }

    /** One attempt: connects, reads the first line, says whether it is an SSH-2.0 banner. */
    static boolean answers(String address, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return readLine(socket.getInputStream()).startsWith(BANNER);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Polls until sshd answers. Gives up when {@code timeout} passes or as soon as {@code alive} says the
     * node is gone (a crashed container would otherwise be waited for in vain).
     */
    static void await(String node, String address, int port, Duration timeout, BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        while (!answers(address, port, Duration.ofSeconds(2))) {
            if (!alive.getAsBoolean()) {
                throw new LabException(node + ": the container stopped before sshd answered on " + address + ":" + port);
            }
            if (System.nanoTime() > deadline) {
                throw new LabException(node + ": sshd did not answer with an " + BANNER + " banner on " + address
                        + ":" + port + " within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for sshd on " + node, e);
            }
            pause = Math.min(pause * 2, 500);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.length() < 255) {
            line.append((char) b);
        }
        return new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
