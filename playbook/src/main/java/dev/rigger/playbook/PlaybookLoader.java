package dev.rigger.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a playbook and finds every mistake in it before anything runs: bad JSON, schema violations,
 * reserved {@code register} names, and template variables that nothing defines. Each problem names the
 * JSON pointer and the line and column.
 *
 * <p>Thread-safe; build one and reuse it.
 */
public final class PlaybookLoader {

    private final PlaybookSchema schema = PlaybookSchema.get();
    private final SchemaProblems schemaProblems;
    private final TemplateChecker checker = new TemplateChecker();

    public PlaybookLoader() {
        this.schemaProblems = new SchemaProblems(schema.document(), schema.modules());
    }

    /**
     * Loads {@code file}; problems name it as given (keep it relative for readable messages).
     *
     * @param extraVars {@code -e} vars: known to the template check, and they override every other var at run time
     */
    public Playbook load(Path file, Map<String, Object> extraVars) throws PlaybookException {
        String text;
        try {
            text = PlaybookFiles.read(file);
        } catch (PlaybookFiles.Unreadable e) {
            throw new PlaybookException(List.of(new Problem(file.toString(), "", e.line(), e.column(), e.getMessage())));
        }
        return load(text, file.toString(), extraVars, file.toAbsolutePath().normalize().getParent(),
                new ArrayList<>(List.of(file.toAbsolutePath().normalize())));
    }

    /** Loads a playbook from text; {@code sourceName} is what problems call it. */
    public Playbook load(String json, String sourceName, Map<String, Object> extraVars) throws PlaybookException {
        return load(json, sourceName, extraVars, Path.of("").toAbsolutePath(), new ArrayList<>());
    }

    /**
     * @param baseDir where {@code import}ed playbooks are looked up
     * @param chain   the files being loaded, outermost first: an import that closes a cycle is refused
     */
    private Playbook load(String json, String sourceName, Map<String, Object> extraVars, Path baseDir,
                          List<Path> chain) throws PlaybookException {
        JsonDocument document = JsonDocument.parse(json, sourceName);
        JsonNode root = document.root();
        JsonLocations locations = document.locations();
        List<Problem> problems = new ArrayList<>();
        for (SchemaProblems.Found f : schemaProblems.map(schema.validate(root))) {
            JsonLocations.Position at = f.atName() ? locations.name(f.pointer()) : locations.value(f.pointer());
            problems.add(new Problem(sourceName, f.pointer(), at.line(), at.column(), f.message()));
        }
        if (problems.isEmpty()) {
            for (SchemaProblems.Found f : ValueChecks.check(root)) {
                add(problems, sourceName, locations, f.pointer(), f.message());
            }
        }
        if (problems.isEmpty()) {
            Map<Integer, Playbook> imported = imports(root, sourceName, locations, extraVars, baseDir, chain, problems);
            Playbook playbook = PlaybookBinder.bind(root, sourceName);
            reservedNames(root, sourceName, locations, problems);
            Set<String> known = new HashSet<>(extraVars.keySet());
            imported.values().forEach(i -> known.addAll(definedNames(i)));
            checker.check(playbook, known, (pointer, message) -> {
                JsonLocations.Position at = locations.value(pointer);
                problems.add(new Problem(sourceName, pointer, at.line(), at.column(), message));
            });
            if (problems.isEmpty()) {
                return splice(root, playbook, imported);
            }
        }
        problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        throw new PlaybookException(problems);
    }

    /** Loads every {@code {"import": "file.json"}} of {@code root}'s plays, by index; problems of theirs are added. */
    private Map<Integer, Playbook> imports(JsonNode root, String source, JsonLocations locations,
                                           Map<String, Object> extraVars, Path baseDir, List<Path> chain,
                                           List<Problem> problems) {
        Map<Integer, Playbook> imported = new HashMap<>();
        JsonNode plays = root.path("plays");
        for (int i = 0; i < plays.size(); i++) {
            JsonNode name = plays.get(i).get(PlaybookBinder.IMPORT);
            if (name == null) {
                continue;
            }
            String pointer = "/plays/" + i + "/import";
            Path file;
            try {
                file = baseDir.resolve(name.asText()).normalize();
            } catch (InvalidPathException e) {
                add(problems, source, locations, pointer, "not a usable file name: " + e.getReason());
                continue;
            }
            if (chain.contains(file)) {
                add(problems, source, locations, pointer, "imports itself through " + chain.stream()
                        .map(p -> p.getFileName().toString()).toList() + "; an import may not close a cycle");
                continue;
            }
            String text;
            try {
                text = PlaybookFiles.read(file);
            } catch (PlaybookFiles.Unreadable e) {
                add(problems, source, locations, pointer, "cannot import " + name.asText() + ": " + e.getMessage());
                continue;
            }
            List<Path> deeper = new ArrayList<>(chain);
            deeper.add(file);
            Path shown = Path.of(source).getParent() == null ? Path.of(name.asText())
                    : Path.of(source).getParent().resolve(name.asText()).normalize();
            try {
                imported.put(i, load(text, shown.toString(), extraVars, file.getParent(), deeper));
            } catch (PlaybookException e) {
                problems.addAll(e.problems());
            }
        }
        return imported;
    }

    /** Names an imported playbook defines for the plays after it: its vars and what its tasks register. */
    private static Set<String> definedNames(Playbook playbook) {
        Set<String> names = new HashSet<>(playbook.vars().keySet());
        for (Play play : playbook.plays()) {
            names.addAll(play.vars().keySet());
            play.tasks().stream().map(Task::register).filter(Objects::nonNull).forEach(names::add);
        }
        return names;
    }

    /**
     * The playbook's own plays with each import's plays in its place; an imported play keeps its
     * playbook's vars, under the vars the import itself gives.
     */
    private static Playbook splice(JsonNode root, Playbook own, Map<Integer, Playbook> imported) {
        if (imported.isEmpty()) {
            return own;
        }
        List<Play> plays = new ArrayList<>();
        Iterator<Play> ownPlays = own.plays().iterator();
        JsonNode nodes = root.path("plays");
        for (int i = 0; i < nodes.size(); i++) {
            Playbook in = imported.get(i);
            if (in == null) {
                plays.add(ownPlays.next());
                continue;
            }
            Map<String, Object> importVars = PlaybookBinder.vars(nodes.get(i).path("vars"));
            for (Play p : in.plays()) {
                // as Ansible's import_playbook: the import's own vars override the imported playbook's
                Map<String, Object> vars = new LinkedHashMap<>(in.vars());
                vars.putAll(p.vars());
                vars.putAll(importVars);
                plays.add(new Play(p.name(), p.hosts(), p.strategy(), p.forks(), p.maxFailPercent(), p.gatherFacts(), vars, p.tasks(),
                        p.pointer()));
            }
        }
        return new Playbook(own.name(), own.vars(), own.inventory(), plays, own.source(), own.maskVars());
    }

    private static void reservedNames(JsonNode root, String source, JsonLocations locations, List<Problem> problems) {
        JsonNode plays = root.path("plays");
        for (int p = 0; p < plays.size(); p++) {
            JsonNode tasks = plays.get(p).path("tasks");
            for (int t = 0; t < tasks.size(); t++) {
                String name = tasks.get(t).path("register").asText(null);
                if (name != null && TemplateContext.RESERVED.contains(name)) {
                    String pointer = "/plays/" + p + "/tasks/" + t + "/register";
                    add(problems, source, locations, pointer, "'" + name + "' is reserved; register under another name"
                            + " (reserved: " + String.join(", ", TemplateContext.RESERVED.stream().sorted().toList()) + ")");
                }
            }
            reservedVars(plays.get(p).path("vars"), "/plays/" + p + "/vars", source, locations, problems);
        }
        reservedVars(root.path("vars"), "/vars", source, locations, problems);
    }

    private static void reservedVars(JsonNode vars, String pointer, String source, JsonLocations locations,
                                     List<Problem> problems) {
        vars.fieldNames().forEachRemaining(name -> {
            if (TemplateContext.RESERVED.contains(name)) {
                String at = pointer + "/" + SchemaProblems.escape(name);
                JsonLocations.Position pos = locations.name(at);
                problems.add(new Problem(source, at, pos.line(), pos.column(),
                        "'" + name + "' is reserved for the run; choose another var name"));
            }
        });
    }

    private static void add(List<Problem> problems, String source, JsonLocations locations, String pointer,
                            String message) {
        JsonLocations.Position at = locations.value(pointer);
        problems.add(new Problem(source, pointer, at.line(), at.column(), message));
    }
}
