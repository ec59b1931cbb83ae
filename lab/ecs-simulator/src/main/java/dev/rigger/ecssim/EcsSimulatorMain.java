package dev.rigger.ecssim;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rigger.ecssim.api.ApiRouter;
import dev.rigger.ecssim.api.AuthResource;
import dev.rigger.ecssim.api.DataStoreLifecycle;
import dev.rigger.ecssim.api.DataStoreResource;
import dev.rigger.ecssim.api.Json;
import dev.rigger.ecssim.api.LicenseResource;
import dev.rigger.ecssim.api.NamespaceResource;
import dev.rigger.ecssim.api.NodeDirectory;
import dev.rigger.ecssim.api.ObjectUserResource;
import dev.rigger.ecssim.api.ReplicationGroupResource;
import dev.rigger.ecssim.api.SecretKeyResource;
import dev.rigger.ecssim.api.StateResource;
import dev.rigger.ecssim.api.StoragePoolResource;
import dev.rigger.ecssim.api.TokenRegistry;
import dev.rigger.ecssim.api.VdcResource;
import dev.rigger.ecssim.boot.BootFailure;
import dev.rigger.ecssim.boot.HostFacts;
import dev.rigger.ecssim.boot.HostLayoutChecks;
import dev.rigger.ecssim.state.StateStore;
import dev.rigger.ecssim.tls.KeystoreProvider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Entry point of the ECS simulator image: makes ECS's start-up checks, waits the boot delay with its
 * ports closed, then serves the management API (HTTPS) and the DT status page (HTTP).
 *
 * <p>Environment variables:
 * <ul>
 *   <li>{@code ECSSIM_BOOT_DELAY_SEC} (20): seconds between passing the checks and opening the ports;
 *       until then connections are refused, as with a booting ECS.</li>
 *   <li>{@code ECSSIM_STORE_READY_SEC} (10): seconds a data store stays {@code initializing} before it is
 *       {@code readytouse}; its create task is {@code ready} after half of that.</li>
 *   <li>{@code ECSSIM_DT_READY_SEC} (10): seconds after the ports open until {@code unready_dt_num} is 0.</li>
 *   <li>{@code ECSSIM_ROOT} ("/"): the directory under which /host, /data, /dae and /disks are found.</li>
 *   <li>{@code ECSSIM_MGMT_PORT} (4443): management API, HTTPS.</li>
 *   <li>{@code ECSSIM_DT_PORT} (9101): DT status, plain HTTP.</li>
 *   <li>{@code ECSSIM_KEYSTORE} ({@code <root>/data/ecssim/keystore.p12}): PKCS12 keystore holding the TLS
 *       key and certificate. When the file does not exist a self-signed RSA certificate (names: localhost,
 *       127.0.0.1, the node's hostname, data_ip and mgmt_ip) is generated and saved there, mode 0600.</li>
 *   <li>{@code ECSSIM_KEYSTORE_PASSWORD} ("changeit"): password of the keystore and of its key.</li>
 *   <li>{@code ECSSIM_ROOT_PASSWORD} ("ChangeMe"): password of the management user {@code root}.</li>
 *   <li>{@code ECSSIM_SKIP_MOUNT_CHECK} (unset): "1" skips the XFS mount check, for environments that
 *       cannot mount a filesystem; /dae and /disks must still exist.</li>
 * </ul>
 * State (license, pools, stores, VDCs, replication groups, namespaces, users, keys) is kept in
 * {@code <root>/data/ecssim/state.json}. Exit code 1: a start-up check failed (one {@code Error:} line
 * on stdout names the path and what was expected).
 */
public final class EcsSimulatorMain {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private EcsSimulatorMain() {
    }

    public static void main(String[] args) {
        ConsoleLog.boot("boot operation begin");
        try {
            run(SimulatorOptions.fromEnvironment(System.getenv()));
        } catch (BootFailure e) {
            fail(e.getMessage());
        } catch (IllegalArgumentException e) {
            fail("Error: " + e.getMessage());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            fail("Error: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("Error: interrupted during boot");
        }
    }

    private static void fail(String line) {
        ConsoleLog.boot(line);
        ConsoleLog.boot("boot operation failed");
        System.exit(1);
    }

    private static void run(SimulatorOptions options) throws BootFailure, IOException, GeneralSecurityException,
            InterruptedException {
        ConsoleLog.boot("checking host layout under " + options.root());
        HostFacts facts = new HostLayoutChecks(options, MOUNTINFO).run();
        Path stateFile = options.path("/data/ecssim/state.json");
        StateStore store = StateStore.open(stateFile, new DataStoreLifecycle());
        store.mutate(state -> {
            if (state.vdcSecretKey == null) {
                state.vdcSecretKey = Json.secret(20);
            }
            return null;
        });
        ConsoleLog.boot("state loaded from " + stateFile);
        SSLContext tls = new KeystoreProvider(options.keystore(), options.keystorePassword())
                .sslContext(facts.hostname(), List.copyOf(new LinkedHashSet<>(List.of("localhost", facts.hostname(),
                        "127.0.0.1", facts.dataIp(), facts.mgmtIp()))));

        ConsoleLog.boot("starting services, ready in " + options.bootDelaySec() + " s");
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.bootDelaySec()));

        ExecutorService workers = Executors.newFixedThreadPool(8);
        TokenRegistry tokens = new TokenRegistry();
        ApiRouter router = new ApiRouter(tokens, options.path("/data/ecssim/faults.json"));
        VdcResource vdcs = new VdcResource(store, facts.seeds());
        NodeDirectory nodes = new NodeDirectory(facts);
        new AuthResource(tokens, options.rootPassword(), store).register(router);
        new LicenseResource(store).register(router);
        new StoragePoolResource(store, vdcs).register(router);
        nodes.register(router);
        new DataStoreResource(store, nodes, options.storeReadySec()).register(router);
        vdcs.register(router);
        new ReplicationGroupResource(store, vdcs).register(router);
        new NamespaceResource(store).register(router);
        new ObjectUserResource(store).register(router);
        new SecretKeyResource(store).register(router);
        new StateResource(store).register(router);

        HttpsServer mgmt = HttpsServer.create(new InetSocketAddress(options.mgmtPort()), 64);
        mgmt.setHttpsConfigurator(new HttpsConfigurator(tls));
        mgmt.createContext("/", router);
        mgmt.setExecutor(workers);
        HttpServer dt = HttpServer.create(new InetSocketAddress(options.dtPort()), 64);
        dt.createContext("/", new DtStatusHandler(System.currentTimeMillis(), options.dtReadySec()));
        dt.setExecutor(workers);
        mgmt.start();
        dt.start();

        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "state-ticker");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(tickQuietly(store), 500, 500, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ConsoleLog.boot("shutdown requested, stopping services");
            mgmt.stop(0);
            dt.stop(0);
            workers.shutdownNow();
        }, "shutdown"));
        ConsoleLog.boot("management API listening on port " + options.mgmtPort() + " (https), DT status on port "
                + options.dtPort() + " (http)");
        ConsoleLog.boot("boot operation end");
    }

    private static Runnable tickQuietly(StateStore store) {
        return () -> {
            try {
                store.tick();
            } catch (RuntimeException e) {
                ConsoleLog.boot("error: state update failed: " + e.getMessage());
            }
        };
    }
}
