package dev.rigger.controller.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigger.playbook.Templates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What one run keeps secret: the values of the vars whose names match the playbook's {@code maskVars} globs
 * ({@code *password*}, {@code *secret*}, {@code *token*} unless it says otherwise), wherever they came from
 * (playbook, play, inventory or extra vars, a template that renders to one, a {@code register} under such a
 * name). {@link #mask} replaces every occurrence in a text with {@code ***}, as {@link Secret} prints itself,
 * so a value that reaches a message, an output line or a diff is masked in every output of the run.
 *
 * <p>Values shorter than {@link #MIN_LENGTH} characters are not masked: masking "1" or "yes" everywhere
 * would garble every output and protect nothing. Thread-safe; masking costs nothing while the run has no
 * secret, and one search per value otherwise.
 */
public final class RunSecrets {

    public static final String MASK = "***";
    private static final ObjectMapper ESCAPER = new ObjectMapper();
    public static final int MIN_LENGTH = 4;

    private final Pattern names;
    private final Set<String> values = new HashSet<>();
    private volatile Set<String> templatedNames = Set.of();
    /** null while there is nothing to mask; replaced whole when a value is added */
    private volatile Values masked;

    private RunSecrets(List<String> globs) {
        this.names = globs.isEmpty() ? null : Pattern.compile(globs.stream().map(RunSecrets::globRegex)
                .collect(Collectors.joining("|")), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** @param globs var-name globs, {@code *} for any text, matched case-insensitively against the whole name */
    public static RunSecrets of(List<String> globs) {
        return new RunSecrets(globs);
    }

    /** A run that masks nothing. */
    public static RunSecrets none() {
        return new RunSecrets(List.of());
    }

    public boolean isSecretName(String name) {
        return names != null && name != null && names.matcher(name).matches();
    }

    /**
     * Takes the values of the secret-named vars of {@code vars}. A value that is a template is rendered per
     * host and task; its name is kept for {@link #templatedNames} so the rendered value can be added then.
     */
    public void addVars(Map<String, ?> vars) {
        vars.forEach((name, value) -> {
            if (!isSecretName(name)) {
                return;
            }
            if (holdsTemplate(value)) {
                synchronized (this) {
                    Set<String> more = new HashSet<>(templatedNames);
                    more.add(name);
                    templatedNames = Set.copyOf(more);
                }
            } else {
                addValue(value);
            }
        });
    }

    /** Secret-named vars whose values are templates: what they render to is only known per task and host. */
    public Set<String> templatedNames() {
        return templatedNames;
    }

    /** Masks {@code value} from now on: a string or number, or every one inside a map or list. */
    public void addValue(Object value) {
        List<String> found = new ArrayList<>();
        collect(value, found);
        if (found.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (!values.addAll(found)) {
                return;
            }
            // the longest first, so that a secret containing another is masked whole
            String[] sorted = values.stream().sorted(Comparator.comparingInt(String::length).reversed()
                    .thenComparing(Comparator.naturalOrder())).toArray(String[]::new);
            String[] escaped = new String[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                escaped[i] = jsonEscaped(sorted[i]);
            }
            masked = new Values(sorted, escaped);
        }
    }

    public boolean isEmpty() {
        return masked == null;
    }

    /**
     * {@code text} with every secret value replaced by {@code ***}; the same string when it holds none.
     * A plain search per value: a regular expression of alternatives cost ten times as much per line.
     */
    public String mask(String text) {
        Values v = masked;
        if (v == null || text == null || text.length() < MIN_LENGTH) {
            return text;
        }
        String out = text;
        for (String secret : v.plain) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /** True when {@code json} (a JSON text) may hold a secret, as written or as JSON escapes it. */
    public boolean mayBeIn(String json) {
        Values v = masked;
        if (v == null) {
            return false;
        }
        for (int i = 0; i < v.plain.length; i++) {
            if (json.contains(v.plain[i]) || json.contains(v.escaped[i])) {
                return true;
            }
        }
        return false;
    }

    private static String jsonEscaped(String value) {
        try {
            String quoted = ESCAPER.writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            return value;
        }
    }

    private record Values(String[] plain, String[] escaped) {
    }

    private static void collect(Object value, List<String> into) {
        if (value instanceof String s) {
            add(s, into);
            // output arrives line by line: each line of a multi-line secret (a key, a certificate) is one too
            if (s.indexOf('\n') >= 0) {
                s.lines().forEach(line -> add(line.strip(), into));
            }
        } else if (value instanceof Number n) {
            add(n.toString(), into);
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collect(v, into));
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> collect(v, into));
        }
    }

    private static void add(String s, List<String> into) {
        if (s.length() >= MIN_LENGTH) {
            into.add(s);
        }
    }

    private static boolean holdsTemplate(Object value) {
        if (value instanceof String s) {
            return Templates.hasTemplate(s);
        }
        if (value instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(RunSecrets::holdsTemplate);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().anyMatch(RunSecrets::holdsTemplate);
        }
        return false;
    }

    private static String globRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        String[] parts = glob.toLowerCase(Locale.ROOT).split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return "(?:" + regex + ")";
    }
}
