package dev.rigger.controller.cli;

import dev.rigger.controller.serve.RiggerServer;
import dev.rigger.controller.serve.ServeClient;
import dev.rigger.controller.serve.ServeOptions;
import dev.rigger.controller.serve.ServeTls;
import dev.rigger.controller.serve.ServeToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rigger serve}: keeps the agents attached and answers the HTTP API and the dashboard until stopped
 * (Ctrl-C or SIGTERM ends every agent on the way out).
 */
@Command(name = "serve", description = "Serve the HTTP API and the live dashboard, with the hosts' agents attached.",
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer>, StateCommand {
    @Option(names = "--port", defaultValue = "8080", description = "port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--playbooks", defaultValue = "playbooks", description = "directory of the playbooks the API may run (default: ${DEFAULT-VALUE})")
    Path playbooks;

    @Option(names = "--prepare", defaultValue = "prepare-hosts.json", description = "playbook in --playbooks that re-prepares one host (default: ${DEFAULT-VALUE})")
    String prepare;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "key=value|@file.json", description = "variables for re-prepare runs")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate to serve HTTPS with (with --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert")
    Path tlsKey;

    @Option(names = "--tls-self-signed", description = "serve HTTPS with a self-signed certificate made at the first start"
            + " and kept in the state directory; the CLI pins it")
    boolean tlsSelfSigned;

    @Option(names = "--rotate-token", description = "replace the API token with a new one and tell a running server of this"
            + " state to take it (the old one then gets 401); serves nothing")
    boolean rotateToken;

    @Mixin
    CommonOptions common;

    @Override
    public Path stateDir() {
        return common.stateDir;
    }

    @Override
    public Integer call() throws Exception {
        if (rotateToken) {
            return rotateToken();
        }
        Map<String, Object> vars;
        ServeTls tls;
        try {
            if (port < 0 || port > 65535) {
                throw new BadInputException("--port: expected 0 to 65535, got " + port);
            }
            if (!Files.isDirectory(playbooks)) {
                throw new BadInputException("--playbooks: " + playbooks + " is not a directory");
            }
            if (!Files.isRegularFile(playbooks.resolve(prepare))) {
                throw new BadInputException("--prepare: no playbook '" + prepare + "' in " + playbooks);
            }
            vars = ExtraVars.parse(extraVars);
            tls = tls();
        } catch (BadInputException | IOException e) {
            System.err.println("rigger: " + e.getMessage());
            return RiggerCli.BAD_INPUT;
        }
        ServeOptions options = new ServeOptions(common.controllerOptions(), bind, port, playbooks, prepare, vars,
                common::inventory, ServeOptions.DEFAULT_MAX_BODY_BYTES, common.inventoryId(), tls);
        RiggerServer server = RiggerServer.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "serve-stop"));
        System.out.println("rigger serve: listening on " + server.url() + " (state " + common.stateDir + ")");
        if (tls != null) {
            // what a browser shows for a self-signed certificate, to compare before trusting it
            System.out.println("TLS certificate " + tls.certFile() + ", SHA-256 " + tls.fingerprint());
        }
        if (server.token().created()) {
            // printed this once; afterwards it is only in the 0600 file
            System.out.println("API token (also in " + ServeToken.file(common.stateDir) + "): " + server.token().value().reveal());
            System.out.println("dashboard: " + server.url() + "/#token=" + server.token().value().reveal());
        } else {
            System.out.println("API token: in " + ServeToken.file(common.stateDir) + "; dashboard: " + server.url()
                    + "/#token=<token>");
        }
        System.out.flush();
        stopped.await();
        return RiggerCli.OK;
    }

    /** HTTPS as asked for; plain HTTP only on loopback, where the token does not cross a network. */
    private ServeTls tls() throws BadInputException, IOException {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new BadInputException(tlsCert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }
        if (tlsCert != null && tlsSelfSigned) {
            throw new BadInputException("--tls-self-signed and --tls-cert: give one of them");
        }
        if (tlsCert != null) {
            return ServeTls.of(tlsCert, tlsKey);
        }
        if (tlsSelfSigned) {
            return ServeTls.selfSigned(common.stateDir, bind);
        }
        if (!ServeTls.loopback(bind)) {
            throw new BadInputException("--bind " + bind + " is not a loopback address: the API token would cross the network"
                    + " in clear text. Give --tls-cert FILE --tls-key FILE (PEM), or --tls-self-signed for a certificate made"
                    + " now, kept in " + common.stateDir + " and pinned by the CLI");
        }
        return null;
    }

    /**
     * A running server is found (and proves itself) with the old token, told to reload after the file holds
     * the new one, and asked with the old token: so it is the server that knew the old token that takes the new.
     */
    private int rotateToken() throws IOException {
        Optional<ServeClient> running;
        try {
            running = ServeClient.find(common.stateDir);
        } catch (ServeClient.UnprovenServerException e) {
            System.err.println("rigger: " + e.getMessage() + "; it is not told about the new token");
            running = Optional.empty();
        }
        Path file = ServeToken.rotate(common.stateDir);
        System.out.println("rigger: a new API token is in " + file + " (readable by its owner only)");
        if (running.isEmpty()) {
            System.out.println("rigger: no rigger serve of " + common.stateDir + " runs; the next one uses the new token");
            return RiggerCli.OK;
        }
        ServeClient.Answer reloaded = running.get().post("/api/token/reload", Map.of());
        if (reloaded.status() != 200) {
            System.err.println("rigger: the rigger serve at " + running.get().url() + " did not take the new token: "
                    + reloaded.error() + "; it accepts the old one until it is restarted");
            return RiggerCli.FAILED;
        }
        System.out.println("rigger: the rigger serve at " + running.get().url() + " took it; the old token is refused from now on");
        return RiggerCli.OK;
    }
}
