package dev.rigger.agent.facts;

import dev.rigger.protocol.facts.DnsFacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The resolver configuration, /etc/resolv.conf, read the way resolv.conf(5) says the resolver reads it. */
public final class ResolverFacts {
    private ResolverFacts() {
    }

    /** The facts of /etc/resolv.conf, or null when there is none (the resolver then asks 127.0.0.1). */
    public static DnsFacts collect() {
        String text = SysFiles.read(Path.of("/etc/resolv.conf"));
        return text == null ? null : parse(text);
    }

    /**
     * Keywords start a line; {@code #} and {@code ;} start comments. {@code search} and {@code domain}
     * replace each other, the last one wins; every {@code nameserver} and {@code options} line counts.
     */
    public static DnsFacts parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        String domain = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] words = line.split("\\s+");
            List<String> args = Arrays.asList(words).subList(1, words.length);
            switch (words[0]) {
                case "nameserver" -> {
                    if (!args.isEmpty()) {
                        nameservers.add(args.get(0));
                    }
                }
                case "search" -> {
                    search = new ArrayList<>(args);
                    domain = null;
                }
                case "domain" -> {
                    domain = args.isEmpty() ? null : args.get(0);
                    search = domain == null ? new ArrayList<>() : new ArrayList<>(List.of(domain));
                }
                case "options" -> options.addAll(args);
                default -> {
                    // sortlist and unknown keywords: not part of these facts
                }
            }
        }
        return new DnsFacts(List.copyOf(nameservers), List.copyOf(search), domain, List.copyOf(options));
    }
}
