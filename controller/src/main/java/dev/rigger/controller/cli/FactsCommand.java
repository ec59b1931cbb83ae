package dev.rigger.controller.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rigger.controller.Controller;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.run.HostSession;
import dev.rigger.controller.run.UnreachableException;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.facts.BlockDevice;
import dev.rigger.protocol.facts.HostFacts;
import dev.rigger.protocol.facts.NetInterface;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rigger facts HOST}: what the host's agent reports; from the state's cache when the host cannot be reached. */
@Command(name = "facts", description = "Show a host's facts.", mixinStandardHelpOptions = true)
final class FactsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Option(names = "--json", description = "print the facts as JSON")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        InventoryHost target;
        try {
            Inventory inventory = common.inventory();
            target = inventory.host(host).orElseThrow(() -> new BadInputException("host '" + host
                    + "' is not in the inventory; known: " + String.join(", ", inventory.names())));
        } catch (InventoryException | BadInputException e) {
            System.err.println("rigger: " + e.getMessage());
            return RiggerCli.BAD_INPUT;
        }
        HostFacts facts;
        try (Controller controller = Controller.start(common.controllerOptions());
             HostSession session = controller.connector().connect(target)) {
            facts = session.facts();
        } catch (UnreachableException e) {
            Optional<HostFacts> cached = JsonFileStateStore.peekFacts(common.stateDir, host);
            if (cached.isEmpty()) {
                System.err.println("rigger: " + e.getMessage());
                return RiggerCli.UNREACHABLE;
            }
            String age = JsonFileStateStore.peekFactsAt(common.stateDir, host)
                    .map(at -> " gathered " + at + ", " + java.time.Duration.between(at, java.time.Instant.now()).toMinutes()
                            + " min ago")
                    .orElse("");
            System.err.println("rigger: " + e.getMessage() + "; showing the facts cached in " + common.stateDir + age);
            print(out, cached.get());
            return RiggerCli.UNREACHABLE;
        }
        try (JsonFileStateStore state = JsonFileStateStore.open(common.stateDir)) {
            state.recordFacts(host, facts);
        } catch (java.io.IOException e) {
            // a run holds the state: the facts are still worth showing
        }
        print(out, facts);
        return RiggerCli.OK;
    }

    private void print(PrintStream out, HostFacts f) throws Exception {
        if (json) {
            out.println(ProtocolJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(f));
            return;
        }
        out.printf("host:      %s (%s)%n", f.hostname(), f.fqdn());
        if (f.os() != null) {
            out.printf("os:        %s %s, kernel %s, %s%n", f.os().name(), f.os().version(), f.os().kernel(), f.os().arch());
        }
        out.printf("cpu:       %d%nmemory:    %.1f GiB%n", f.cpuCount(), f.memTotalBytes() / (1024.0 * 1024 * 1024));
        if (f.defaultIpv4() != null) {
            out.printf("default:   %s %s via %s%n", f.defaultIpv4().interfaceName(), f.defaultIpv4().address(), f.defaultIpv4().gateway());
        }
        for (NetInterface n : f.interfaces()) {
            out.printf("nic:       %-8s %s%n", n.name(), n.ipv4().stream().map(a -> a.address() + "/" + a.prefix()).toList());
        }
        for (BlockDevice d : f.blockDevices()) {
            out.printf("disk:      %-10s %,d bytes %s%s%n", d.path(), d.sizeBytes(), d.fsType() == null ? "" : d.fsType(),
                    d.mountpoints() == null || d.mountpoints().isEmpty() ? "" : " on " + d.mountpoints());
        }
    }
}
