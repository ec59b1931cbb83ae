package dev.rigger.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.Controller;
import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.run.HostSession;
import dev.rigger.controller.run.UnreachableException;
import dev.rigger.controller.serve.ServeClient;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.facts.HostFacts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rigger facts HOST...}: a running {@code rigger serve} answers from the attached agent; without one,
 * the facts the last run cached in the state (saying how old they are). {@code --refresh} gathers anew.
 */
@Command(name = "facts", description = "Show hosts' facts (docs/facts.md).", mixinStandardHelpOptions = true)
final class FactsCommand implements Callable<Integer>, StateCommand {
    @Parameters(index = "0", arity = "1..*", paramLabel = "HOST")
    List<String> hosts;

    @Option(names = "--refresh", description = "gather anew from the host (connecting to it) instead of any cache")
    boolean refresh;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    static final class Format {
        @Option(names = "--json", description = "print the facts as JSON (one host: its facts; several: an object by host)")
        boolean json;

        @Option(names = "--table", description = "one line per host")
        boolean table;
    }

    @Option(names = "--filter", paramLabel = "PATH", description = "only this part: a dotted path (blockDevices.0.sizeBytes) or a JSON pointer")
    String filter;

    @Mixin
    CommonOptions common;

    private com.fasterxml.jackson.core.JsonPointer pointer;

    /** One host's answer: where it came from, and when it was gathered. */
    record Answer(String host, String source, Instant at, JsonNode facts, String problem) {
    }

    @Override
    public Path stateDir() {
        return common.stateDir;
    }

    @Override
    public Integer call() throws Exception {
        List<InventoryHost> targets = new ArrayList<>();
        try {
            Inventory inventory = common.inventory();
            for (String name : hosts) {
                targets.add(inventory.host(name).orElseThrow(() -> new BadInputException("host '" + name
                        + "' is not in the inventory; known: " + String.join(", ", inventory.names()))));
            }
            pointer = filter == null ? null : FactsPath.pointer(filter);
        } catch (InventoryException | BadInputException e) {
            System.err.println("rigger: " + e.getMessage());
            return RiggerCli.BAD_INPUT;
        }
        Optional<ServeClient> serve;
        try {
            serve = ServeClient.find(common.stateDir);
        } catch (ServeClient.UnprovenServerException e) {
            System.err.println("rigger: " + e.getMessage());
            return RiggerCli.BAD_INPUT;
        }
        List<Answer> answers = serve.isPresent() ? fromServer(serve.get(), targets) : local(targets);
        int exit = RiggerCli.OK;
        for (Answer a : answers) {
            if (a.problem() != null) {
                System.err.println("rigger: " + a.problem());
                exit = RiggerCli.UNREACHABLE;
            }
            if ("cache".equals(a.source()) && a.facts() != null) {
                System.err.println("rigger: " + a.host() + ": facts cached in " + common.stateDir + age(a.at()));
            }
        }
        print(System.out, answers);
        return exit;
    }

    private List<Answer> fromServer(ServeClient serve, List<InventoryHost> targets) throws IOException {
        List<Answer> answers = new ArrayList<>();
        for (InventoryHost h : targets) {
            ServeClient.Answer a = serve.facts(h.name(), refresh);
            JsonNode body = a.body();
            if (a.status() != 200) {
                answers.add(new Answer(h.name(), null, null, null, h.name() + ": " + a.error() + " (from " + serve.url() + ")"));
                continue;
            }
            Instant at = body.path("gatheredAt").isTextual() ? Instant.parse(body.path("gatheredAt").asText()) : null;
            String problem = body.hasNonNull("unreachable") ? body.path("unreachable").asText() : null;
            answers.add(new Answer(h.name(), body.path("source").asText(), at, body.path("facts"), problem));
        }
        return answers;
    }

    /** No server: the cache, unless --refresh or nothing is cached; then connect, and fall back on the cache. */
    private List<Answer> local(List<InventoryHost> targets) throws IOException {
        Map<String, Answer> answers = new LinkedHashMap<>();
        List<InventoryHost> connect = new ArrayList<>();
        for (InventoryHost h : targets) {
            Optional<HostFacts> cached = JsonFileStateStore.peekFacts(common.stateDir, h.name());
            if (!refresh && cached.isPresent()) {
                answers.put(h.name(), cached(h.name(), cached.get(), null));
            } else {
                answers.put(h.name(), null);
                connect.add(h);
            }
        }
        if (!connect.isEmpty()) {
            try (Controller controller = Controller.start(common.controllerOptions())) {
                for (InventoryHost h : connect) {
                    answers.put(h.name(), gather(controller, h));
                }
            }
        }
        return new ArrayList<>(answers.values());
    }

    private Answer gather(Controller controller, InventoryHost h) throws IOException {
        HostFacts facts;
        try (HostSession session = controller.connector().connect(h)) {
            facts = session.facts();
        } catch (UnreachableException e) {
            Optional<HostFacts> cached = JsonFileStateStore.peekFacts(common.stateDir, h.name());
            return cached.map(f -> cached(h.name(), f, e.getMessage()))
                    .orElse(new Answer(h.name(), null, null, null, e.getMessage()));
        }
        try (JsonFileStateStore state = JsonFileStateStore.open(common.stateDir)) {
            state.recordFacts(h.name(), facts);
        } catch (IOException e) {
            // a run holds the state: the facts are still worth showing
        }
        return new Answer(h.name(), "live", Instant.now(), ProtocolJson.MAPPER.valueToTree(facts), null);
    }

    private Answer cached(String host, HostFacts facts, String problem) {
        Instant at;
        try {
            at = JsonFileStateStore.peekFactsAt(common.stateDir, host).orElse(null);
        } catch (IOException e) {
            at = null;
        }
        return new Answer(host, "cache", at, ProtocolJson.MAPPER.valueToTree(facts), problem);
    }

    private static String age(Instant at) {
        return at == null ? "" : ", gathered " + at + ", " + Duration.between(at, Instant.now()).toMinutes() + " min ago";
    }

    private void print(PrintStream out, List<Answer> answers) throws IOException {
        List<Answer> found = answers.stream().filter(a -> a.facts() != null).toList();
        var pretty = ProtocolJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);
        if (format.table) {
            FactsTable.print(out, found, pointer);
            return;
        }
        if (format.json || pointer != null) {
            if (hosts.size() == 1) {
                if (!found.isEmpty()) {
                    out.println(pretty.writeValueAsString(select(found.get(0).facts())));
                }
                return;
            }
            ObjectNode all = ProtocolJson.MAPPER.createObjectNode();
            found.forEach(a -> all.set(a.host(), select(a.facts())));
            out.println(pretty.writeValueAsString(all));
            return;
        }
        for (Answer a : found) {
            if (found.size() > 1) {
                out.println("== " + a.host() + " (" + a.source() + ")");
            }
            FactsTable.describe(out, ProtocolJson.MAPPER.treeToValue(a.facts(), HostFacts.class));
        }
    }

    private JsonNode select(JsonNode facts) {
        return pointer == null ? facts : facts.at(pointer);
    }
}
