package dev.rigger.lab.ec2;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** One Filter.N of a Describe call: a name and values, which may hold EC2's wildcards {@code *} and {@code ?}. */
record Ec2Filter(String name, List<String> values) {
    Ec2Filter {
        values = List.copyOf(values);
    }

    /**
     * Whether a resource passes every filter: for each filter, one of the resource's values for that name matches
     * one of the filter's values. {@code fields} holds the resource's values by filter name; {@code tags} its tags.
     * A filter name the resource type does not know is an error, as on EC2.
     */
    static boolean all(List<Ec2Filter> filters, Set<String> known, Map<String, List<String>> fields,
                       Map<String, String> tags) {
        for (Ec2Filter f : filters) {
            List<String> candidates;
            if (f.name().startsWith("tag:")) {
                String value = tags.get(f.name().substring(4));
                candidates = value == null ? List.of() : List.of(value);
            } else if (f.name().equals("tag-key")) {
                candidates = List.copyOf(tags.keySet());
            } else if (f.name().equals("tag-value")) {
                candidates = List.copyOf(tags.values());
            } else if (known.contains(f.name())) {
                candidates = fields.getOrDefault(f.name(), List.of());
            } else {
                throw new Ec2ApiException("InvalidParameterValue", "The filter '" + f.name() + "' is invalid");
            }
            if (candidates.stream().noneMatch(c -> f.values().stream().anyMatch(v -> glob(v).matcher(c).matches()))) {
                return false;
            }
        }
        return true;
    }

    static Pattern glob(String value) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                regex.append(Pattern.quote(String.valueOf(value.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
