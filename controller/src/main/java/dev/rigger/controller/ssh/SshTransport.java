package dev.rigger.controller.ssh;

import dev.rigger.controller.ssh.SshHostException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.future.CancelOption;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The controller's SSH client: one MINA client whose NIO threads serve every host, so hundreds of sessions
 * cost no thread each. Host keys are checked by {@link KnownHosts}; hosts may only open connections back
 * to the bridge ports registered with {@link #permitForwardsTo(int)}.
 */
public final class SshTransport implements AutoCloseable {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** Heartbeats a host may leave unanswered before its session counts as dropped. */
    private static final int HEARTBEAT_MISSES = 4;

    private final SshClient client;
    private final BridgeForwardingFilter forwardingFilter = new BridgeForwardingFilter();
    private final Map<Path, KeyPair> identities = new ConcurrentHashMap<>();

    public SshTransport(KnownHosts knownHosts) {
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(knownHosts);
        client.setForwardingFilter(forwardingFilter);
        client.setKeyExchangeFactories(curve25519First(client.getKeyExchangeFactories()));
        // sshd announces all its host keys after login (hostkeys-00@openssh.com) for clients that rotate
        // known_hosts; parsing them made BouncyCastle test each RSA modulus for primality, half of a CLI
        // run's CPU. Host keys are checked at key exchange and recorded by the lab or ec2, so the
        // announcement is taken without being read (and without the warning an unknown request gets).
        client.setGlobalRequestHandlers(java.util.List.of(
                (org.apache.sshd.common.session.ConnectionServiceRequestHandler) (service, request, wantReply, buffer) ->
                        "hostkeys-00@openssh.com".equals(request)
                                ? org.apache.sshd.common.channel.RequestHandler.Result.ReplySuccess
                                : org.apache.sshd.common.channel.RequestHandler.Result.Unsupported));
        // no ~/.ssh/config or default identities: a host is reached exactly as its SshTarget says
        client.setHostConfigEntryResolver(org.apache.sshd.client.config.hosts.HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(org.apache.sshd.common.keyprovider.KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, HEARTBEAT);
        CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, HEARTBEAT_MISSES);
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        // an agent's session may sit quiet for a long play; heartbeats, not idleness, decide that it is dead
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        client.start();
    }

    /** Lets hosts open forwarded connections to the controller's 127.0.0.1:{@code port} (the bridge). */
    public void permitForwardsTo(int port) {
        forwardingFilter.permit(port);
    }

    public void revokeForwardsTo(int port) {
        forwardingFilter.revoke(port);
    }

    /**
     * Connects, checks the host key and authenticates with the target's identity file.
     *
     * @throws SshHostException naming the host, its address and what failed
     */
    public SshHost connect(SshTarget target, Duration timeout) throws SshHostException {
        KeyPair identity = identity(target);
        long deadline = System.nanoTime() + timeout.toNanos();
        HostKeyCheck check = new HostKeyCheck(target);
        ClientSession session;
        try {
            ConnectFuture connecting = client.connect(target.user(), target.address(), target.port(),
                    AttributeRepository.ofKeyValuePair(HostKeyCheck.KEY, check), null);
            session = connecting.verify(timeout, CancelOption.CANCEL_ON_TIMEOUT).getSession();
        } catch (IOException | RuntimeException e) {
            throw connectFailure(target, timeout, e);
        }
        try {
            session.addPublicKeyIdentity(identity);
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
            session.auth().verify(left, CancelOption.CANCEL_ON_TIMEOUT);
            return new SshHost(target, session);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            if (check.refusal() != null) {
                throw new SshHostException(Kind.HOST_KEY, check.refusal(), null);
            }
            if (isTimeout(e)) {
                throw new SshHostException(Kind.TIMED_OUT, "SSH to " + target.describe() + " timed out after "
                        + timeout.toSeconds() + " s during key exchange or authentication", e);
            }
            if (!session.isAuthenticated() && String.valueOf(e.getMessage()).contains("authentication")) {
                throw new SshHostException(Kind.AUTH_REFUSED, target.describe() + " refused the key "
                        + target.identityFile() + " for user " + target.user(), e);
            }
            throw new SshHostException(Kind.CONNECTION_LOST, "SSH to " + target.describe()
                    + " failed during key exchange or authentication: " + SshHost.message(e), e);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } finally {
            try {
                client.close();
            } catch (IOException e) {
                // stopping is best effort: the client is unusable either way
            }
        }
    }

    private KeyPair identity(SshTarget target) throws SshHostException {
        Path file = target.identityFile().toAbsolutePath().normalize();
        KeyPair cached = identities.get(file);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    in, (session, resource, retry) -> {
                        throw new IOException("the key is encrypted; rigger needs a key without passphrase");
                    });
            Iterator<KeyPair> iterator = pairs == null ? null : pairs.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new SshHostException(Kind.IDENTITY, "no private key in " + target.identityFile()
                        + " (identity for " + target.describe() + ")");
            }
            KeyPair pair = iterator.next();
            identities.put(file, pair);
            return pair;
        } catch (NoSuchFileException e) {
            throw new SshHostException(Kind.IDENTITY, "identity file " + target.identityFile() + " for "
                    + target.describe() + " does not exist", e);
        } catch (SshHostException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new SshHostException(Kind.IDENTITY, "cannot load identity file " + target.identityFile() + " for "
                    + target.describe() + ": " + SshHost.message(e), e);
        }
    }

    private static SshHostException connectFailure(SshTarget target, Duration timeout, Exception e) {
        String where = target.describe();
        if (hasCause(e, ConnectException.class)) {
            return new SshHostException(Kind.CONNECTION_REFUSED, "connection to " + where + " refused: is sshd"
                    + " running and listening on port " + target.port() + "?", e);
        }
        if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class)) {
            return new SshHostException(Kind.UNRESOLVED, "cannot resolve the address of " + where, e);
        }
        if (hasCause(e, NoRouteToHostException.class)) {
            return new SshHostException(Kind.NETWORK, "no route to " + where, e);
        }
        if (isTimeout(e)) {
            return new SshHostException(Kind.TIMED_OUT, "connection to " + where + " timed out after "
                    + timeout.toSeconds() + " s", e);
        }
        return new SshHostException(Kind.NETWORK, "cannot connect to " + where + ": " + SshHost.message(e), e);
    }

    private static boolean isTimeout(Throwable e) {
        if (hasCause(e, SocketTimeoutException.class) || hasCause(e, TimeoutException.class)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (message.contains("timeout") || message.contains("timed out")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** curve25519 first: the post-quantum hybrid MINA would pick with BouncyCastle present doubles connect time. */
    private static List<KeyExchangeFactory> curve25519First(List<KeyExchangeFactory> factories) {
        List<KeyExchangeFactory> ordered = new ArrayList<>(factories);
        ordered.sort(Comparator.comparingInt(f -> f.getName().startsWith("curve25519-sha256") ? 0 : 1));
        return ordered;
    }

    private static void closeQuietly(ClientSession session) {
        try {
            session.close();
        } catch (IOException e) {
            // already failing; the original error is what the caller needs
        }
    }
}
