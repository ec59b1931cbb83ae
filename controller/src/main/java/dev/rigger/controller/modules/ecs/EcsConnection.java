package dev.rigger.controller.modules.ecs;

import dev.rigger.controller.modules.ControllerModuleContext;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

/**
 * How object prep reaches the management API: by default through the host's SSH session ({@link EcsTunnel})
 * with ECS's certificate read from its container and pinned ({@link EcsCertificate}, {@link EcsTrust});
 * with an {@code endpoint}, directly, still pinned, or checked against the JDK's CAs when
 * {@code validateCerts} is true. Never trusting any certificate.
 */
final class EcsConnection implements AutoCloseable {
    private final EcsClient api;
    private final EcsTunnel tunnel;

    private EcsConnection(EcsClient api, EcsTunnel tunnel) {
        this.api = api;
        this.tunnel = tunnel;
    }

    static EcsConnection open(EcsArgs a, ControllerModuleContext ctx) throws IOException {
        boolean ssh = ctx.access().ssh() != null;
        if ((a.tunnel() || a.certificatePath() != null) && !ssh) {
            throw new IOException(ctx.host() + " has no SSH session: the management API and its certificate are"
                    + " reached through one");
        }
        SSLContext tls;
        if (a.certificatePath() != null) {
            tls = EcsTrust.pinned(new EcsCertificate(ctx.host(), ctx.access(), a.container(), a.certificatePath()));
        } else {
            try {
                tls = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no TLS in this JDK", e);
            }
        }
        if (!a.tunnel()) {
            return new EcsConnection(new EcsClient(a.endpoint(), tls, () -> EcsClient.listening(a.endpoint())), null);
        }
        EcsTunnel tunnel = EcsTunnel.open(ctx.access().ssh(), a.port());
        return new EcsConnection(new EcsClient(tunnel.endpoint(), tls, tunnel::remotePortOpen), tunnel);
    }

    EcsClient api() {
        return api;
    }

    @Override
    public void close() {
        if (tunnel != null) {
            tunnel.close();
        }
    }
}
