package dev.rigger.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.controller.security.RunSecrets;
import dev.rigger.playbook.ExtraVarsData;
import dev.rigger.playbook.JsonDocument;
import dev.rigger.playbook.PlaybookException;
import dev.rigger.playbook.Problem;
import dev.rigger.playbook.TemplateContext;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code -e key=value} and {@code -e @file.json}. A value that reads as a JSON number or boolean is taken as
 * that (so {@code -e ecs_owner=444} is a number); anything else is a string. Names follow the playbook's
 * rule for vars (letters, digits and _, not starting with a digit) and may not be one the run reserves
 * ({@code facts}, {@code item}, ...); a vars file is read as strictly as a playbook, with line:column.
 * Extra vars are data: a value holding template markup is refused ({@link ExtraVarsData}).
 */
final class ExtraVars {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static Map<String, Object> parse(List<String> specs) throws BadInputException {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String raw : specs) {
            // echoed in messages: a newline in it must not start a line of its own
            String spec = Problem.printable(raw);
            if (raw.startsWith("@")) {
                vars.putAll(file(raw, spec));
                continue;
            }
            int eq = raw.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("-e " + spec + ": expected key=value or @file.json");
            }
            String name = raw.substring(0, eq);
            String problem = nameProblem(name);
            if (problem != null) {
                throw new BadInputException("-e " + spec + ": " + problem);
            }
            Object value = scalar(raw.substring(eq + 1));
            if (ExtraVarsData.markupAt(value) != null) {
                throw new BadInputException("-e " + name + ": " + ExtraVarsData.PROBLEM);
            }
            vars.put(name, value);
        }
        return vars;
    }

    /**
     * The names given as {@code -e name=value} whose names say they hold a secret: such a value is visible
     * to every user of the machine in the process list, so the CLI says to use {@code -e @file} instead.
     */
    static List<String> secretsOnTheCommandLine(List<String> specs, List<String> maskGlobs) {
        RunSecrets secrets = RunSecrets.of(maskGlobs);
        return specs.stream().filter(s -> !s.startsWith("@") && s.indexOf('=') > 0)
                .map(s -> s.substring(0, s.indexOf('='))).filter(secrets::isSecretName).distinct().toList();
    }

    /** The warning for {@link #secretsOnTheCommandLine}; it names the vars, never their values. */
    static String secretWarning(String name) {
        return "rigger: warning: -e " + name + ": a secret on the command line is visible to every user in the"
                + " process list and stays in shell histories; give it in a file: -e @secrets.json";
    }

    private static Map<String, Object> file(String raw, String spec) throws BadInputException {
        JsonDocument document;
        try {
            document = JsonDocument.read(Path.of(raw.substring(1)));
        } catch (InvalidPathException e) {
            throw new BadInputException("-e " + spec + ": not a usable file name: " + e.getReason());
        } catch (PlaybookException e) {
            throw new BadInputException("-e " + spec + ": " + e.getMessage());
        }
        JsonNode node = document.root();
        if (!node.isObject()) {
            throw new BadInputException("-e " + spec + ": " + document.problemAt("", "expected a JSON object of variables"));
        }
        List<Problem> problems = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            String problem = nameProblem(name);
            if (problem != null) {
                problems.add(document.problemAtName("/" + escape(name), problem));
            }
        });
        node.fields().forEachRemaining(var -> {
            String at = ExtraVarsData.markupAt(JSON.convertValue(var.getValue(), Object.class));
            if (at != null) {
                problems.add(document.problemAt("/" + escape(var.getKey()) + at, ExtraVarsData.PROBLEM));
            }
        });
        if (!problems.isEmpty()) {
            throw new BadInputException(problems.stream().map(p -> "-e " + spec + ": " + p)
                    .collect(Collectors.joining("\n")));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.convertValue(node, Map.class);
        return m;
    }

    /** What is wrong with {@code name} as a variable name, or null. */
    private static String nameProblem(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            return "'" + Problem.printable(name) + "' is not a valid variable name: expected letters, digits and _,"
                    + " not starting with a digit";
        }
        if (TemplateContext.RESERVED.contains(name)) {
            return "'" + name + "' is reserved for the run; choose another variable name (reserved: "
                    + TemplateContext.RESERVED.stream().sorted().collect(Collectors.joining(", ")) + ")";
        }
        return null;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static Object scalar(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && (node.isNumber() || node.isBoolean())) {
                return JSON.convertValue(node, Object.class);
            }
        } catch (JsonProcessingException e) {
            // not JSON: a plain string
        }
        return text;
    }

    private ExtraVars() {
    }
}
