package dev.rigger.lab.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One EC2 Query API request: the form-encoded parameters of its body, with the member-list conventions of the
 * EC2 protocol ({@code Name.1}, {@code Filter.1.Name}, {@code Filter.1.Value.1}, {@code TagSpecification.1.Tag.1.Key}).
 */
final class QueryRequest {
    private final Map<String, String> params;

    private QueryRequest(Map<String, String> params) {
        this.params = params;
    }

    static QueryRequest parse(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return new QueryRequest(params);
    }

    static QueryRequest of(Map<String, String> params) {
        return new QueryRequest(new LinkedHashMap<>(params));
    }

    String action() {
        return params.getOrDefault("Action", "");
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(params.get(name)).filter(v -> !v.isEmpty());
    }

    String require(String name) {
        return get(name).orElseThrow(() -> Ec2ApiException.missing(name));
    }

    Optional<Integer> integer(String name) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.get()));
        } catch (NumberFormatException e) {
            throw Ec2ApiException.invalid(name, value.get(), "Expected an integer.");
        }
    }

    boolean bool(String name, boolean otherwise) {
        return get(name).map(Boolean::parseBoolean).orElse(otherwise);
    }

    /** The values of {@code prefix.1}, {@code prefix.2}, … in index order. */
    List<String> list(String prefix) {
        List<String> values = new ArrayList<>();
        for (QueryRequest member : members(prefix)) {
            member.get("").ifPresent(values::add);
        }
        return values;
    }

    /**
     * The structures {@code prefix.N.*} in index order, each a request of its own fields (and for a scalar list,
     * field "" holding the value).
     */
    List<QueryRequest> members(String prefix) {
        TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
        String start = prefix + ".";
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getKey().startsWith(start)) {
                continue;
            }
            String rest = e.getKey().substring(start.length());
            int dot = rest.indexOf('.');
            String index = dot < 0 ? rest : rest.substring(0, dot);
            if (!index.matches("\\d+")) {
                continue;
            }
            byIndex.computeIfAbsent(Integer.parseInt(index), i -> new LinkedHashMap<>())
                    .put(dot < 0 ? "" : rest.substring(dot + 1), e.getValue());
        }
        List<QueryRequest> members = new ArrayList<>();
        byIndex.values().forEach(m -> members.add(new QueryRequest(m)));
        return members;
    }

    /** Filter.N.Name / Filter.N.Value.M. */
    List<Ec2Filter> filters() {
        List<Ec2Filter> filters = new ArrayList<>();
        for (QueryRequest f : members("Filter")) {
            filters.add(new Ec2Filter(f.require("Name"), f.list("Value")));
        }
        return filters;
    }

    /** Tags of TagSpecification.N for {@code resourceType} (instance, volume, key-pair, security-group). */
    Map<String, String> tagsFor(String resourceType) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (QueryRequest spec : members("TagSpecification")) {
            if (resourceType.equals(spec.get("ResourceType").orElse(""))) {
                tags.putAll(spec.tags("Tag"));
            }
        }
        return tags;
    }

    /** prefix.N.Key / prefix.N.Value. */
    Map<String, String> tags(String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (QueryRequest tag : members(prefix)) {
            tags.put(tag.require("Key"), tag.get("Value").orElse(""));
        }
        return tags;
    }
}
