package dev.rigger.controller.security;

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
 * secret, and a single precompiled pattern otherwise.
 */
public final class RunSecrets {

    public static final String MASK = "***";
    public static final int MIN_LENGTH = 4;

    private final Pattern names;
    private final Set<String> values = new HashSet<>();
    private final Set<String> templatedNames = new HashSet<>();
    /** null while there is nothing to mask; replaced whole when a value is added */
    private volatile Pattern matcher;

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
                    templatedNames.add(name);
                }
            } else {
                addValue(value);
            }
        });
    }

    /** Secret-named vars whose values are templates: what they render to is only known per task and host. */
    public synchronized Set<String> templatedNames() {
        return Set.copyOf(templatedNames);
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
            matcher = Pattern.compile(values.stream().sorted(Comparator.comparingInt(String::length).reversed()
                    .thenComparing(Comparator.naturalOrder())).map(Pattern::quote).collect(Collectors.joining("|")));
        }
    }

    public boolean isEmpty() {
        return matcher == null;
    }

    /** {@code text} with every secret value replaced by {@code ***}; the same string when it holds none. */
    public String mask(String text) {
        Pattern p = matcher;
        if (p == null || text == null || text.length() < MIN_LENGTH) {
            return text;
        }
        return p.matcher(text).replaceAll(MASK);
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
