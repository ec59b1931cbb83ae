package dev.rigger.playbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible's host patterns, for a play's {@code hosts} and for {@code --limit}.
 *
 * <p>Terms are separated by {@code :} or {@code ,}. A term is {@code all} or {@code *}, a host name, a group
 * name, a glob ({@code node*}, {@code node[12]}) over host and group names, or {@code ~regex}. A plain term
 * adds hosts, {@code &term} keeps only hosts also in term, {@code !term} removes hosts. As in Ansible, plain
 * terms are applied first, then intersections, then exclusions, whatever their order in the pattern; a
 * pattern of only {@code &} and {@code !} terms starts from all hosts.
 */
public final class HostPattern {

    public static final String ALL = "all";

    private HostPattern() {
    }

    /**
     * The hosts {@code pattern} selects, in inventory order.
     *
     * @param groupsToHosts   group name to host names
     * @param allHostsInOrder every host of the inventory, in inventory order
     * @throws HostPatternException when a term names no host and no group, or the pattern is empty
     */
    private static final Pattern INDEXED = Pattern.compile("(.+)\\[(\\d+)]");

    public static List<String> select(String pattern, Map<String, List<String>> groupsToHosts,
                                      List<String> allHostsInOrder) {
        List<String> plain = new ArrayList<>();
        List<String> intersections = new ArrayList<>();
        List<String> exclusions = new ArrayList<>();
        for (String raw : pattern.split("[:,]")) {
            String term = raw.trim();
            if (term.isEmpty()) {
                continue;
            }
            if (term.startsWith("&")) {
                intersections.add(term.substring(1).trim());
            } else if (term.startsWith("!")) {
                exclusions.add(term.substring(1).trim());
            } else {
                plain.add(term);
            }
        }
        if (plain.isEmpty() && intersections.isEmpty() && exclusions.isEmpty()) {
            throw new HostPatternException("empty host pattern '" + pattern + "'");
        }
        Set<String> selected = new LinkedHashSet<>();
        if (plain.isEmpty()) {
            selected.addAll(allHostsInOrder);
        }
        for (String term : plain) {
            selected.addAll(resolve(term, pattern, groupsToHosts, allHostsInOrder));
        }
        for (String term : intersections) {
            selected.retainAll(resolve(term, pattern, groupsToHosts, allHostsInOrder));
        }
        for (String term : exclusions) {
            selected.removeAll(resolve(term, pattern, groupsToHosts, allHostsInOrder));
        }
        return allHostsInOrder.stream().filter(selected::contains).toList();
    }

    /**
     * What is wrong with {@code pattern} whatever the inventory (an empty pattern, a lone {@code !} or
     * {@code &}, a regex or glob that does not compile, an index too large to be one), or null when it reads.
     * Names are not checked: the inventory may only be known at run time.
     */
    public static String check(String pattern) {
        List<String> terms = new ArrayList<>();
        for (String raw : pattern.split("[:,]")) {
            String term = raw.trim();
            if (!term.isEmpty()) {
                terms.add(term);
            }
        }
        if (terms.isEmpty()) {
            return "empty host pattern '" + pattern + "'; expected all, a name, a group or a glob";
        }
        try {
            for (String term : terms) {
                String name = term.startsWith("&") || term.startsWith("!") ? term.substring(1).trim() : term;
                if (name.isEmpty()) {
                    throw new HostPatternException("a '&' or '!' without a name in host pattern '" + pattern + "'");
                }
                java.util.regex.Matcher indexed = INDEXED.matcher(name);
                if (indexed.matches()) {
                    index(indexed.group(2), name, pattern);
                }
                regexOf(name, pattern);
            }
        } catch (HostPatternException e) {
            return e.getMessage();
        }
        return null;
    }

    private static int index(String digits, String term, String pattern) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new HostPatternException("'" + term + "' in host pattern '" + pattern + "': index too large");
        }
    }

    /** True when {@code host} is selected by {@code pattern}. */
    public static boolean matches(String pattern, String host, Map<String, List<String>> groupsToHosts,
                                  List<String> allHostsInOrder) {
        return select(pattern, groupsToHosts, allHostsInOrder).contains(host);
    }

    private static Set<String> resolve(String term, String pattern, Map<String, List<String>> groups,
                                       List<String> hosts) {
        java.util.regex.Matcher indexed = INDEXED.matcher(term);
        if (indexed.matches() && (groups.containsKey(indexed.group(1)) || indexed.group(1).equals(ALL))) {
            // group[i] as in Ansible: the i-th host (from 0) of a group, in inventory order; node[13] stays a glob
            List<String> members = hosts.stream().filter(resolve(indexed.group(1), pattern, groups, hosts)::contains).toList();
            int i = index(indexed.group(2), term, pattern);
            if (i >= members.size()) {
                throw new HostPatternException("'" + term + "' in host pattern '" + pattern + "': " + indexed.group(1)
                        + " has " + members.size() + " host(s)");
            }
            return new LinkedHashSet<>(List.of(members.get(i)));
        }
        if (term.isEmpty()) {
            throw new HostPatternException("a '&' or '!' without a name in host pattern '" + pattern + "'");
        }
        if (term.equals(ALL) || term.equals("*")) {
            return new LinkedHashSet<>(hosts);
        }
        Set<String> found = new LinkedHashSet<>();
        Pattern regex = regexOf(term, pattern);
        if (regex == null) {
            if (hosts.contains(term)) {
                found.add(term);
            }
            if (groups.containsKey(term)) {
                found.addAll(groups.get(term));
            }
            if (found.isEmpty() && !groups.containsKey(term)) {
                throw new HostPatternException("unknown host or group '" + term + "' in host pattern '" + pattern
                        + "'" + known(groups, hosts));
            }
            return found;
        }
        for (String host : hosts) {
            if (regex.matcher(host).matches()) {
                found.add(host);
            }
        }
        groups.forEach((group, members) -> {
            if (regex.matcher(group).matches()) {
                found.addAll(members);
            }
        });
        if (found.isEmpty()) {
            throw new HostPatternException("'" + term + "' in host pattern '" + pattern
                    + "' matches no host or group" + known(groups, hosts));
        }
        return found;
    }

    /** A glob or {@code ~regex} term as a regex; null for a plain name. */
    private static Pattern regexOf(String term, String pattern) {
        try {
            if (term.startsWith("~")) {
                return Pattern.compile(term.substring(1));
            }
        } catch (PatternSyntaxException e) {
            throw new HostPatternException("bad regex '" + term + "' in host pattern '" + pattern + "': "
                    + e.getDescription());
        }
        if (term.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : term.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[', ']' -> regex.append(c);
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return Pattern.compile(regex.toString());
        } catch (PatternSyntaxException e) {
            throw new HostPatternException("bad glob '" + term + "' in host pattern '" + pattern + "'");
        }
    }

    private static String known(Map<String, List<String>> groups, List<String> hosts) {
        return "; hosts: " + String.join(", ", hosts) + "; groups: " + String.join(", ", groups.keySet());
    }
}
