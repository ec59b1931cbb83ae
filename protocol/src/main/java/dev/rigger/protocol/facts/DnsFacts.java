package dev.rigger.protocol.facts;

import java.util.List;

/**
 * The resolver configuration of /etc/resolv.conf as resolv.conf(5) reads it: every {@code nameserver}
 * line in order, the last {@code search} or {@code domain} line, the {@code options} words.
 *
 * @param nameservers IPv4 and IPv6 addresses, in file order
 * @param search      the search list; a {@code domain} line counts as a one-entry search list
 * @param domain      the {@code domain} line when it is the last of search/domain, else null
 * @param options     words of the {@code options} lines ({@code ndots:5}, {@code rotate}, ...)
 */
public record DnsFacts(List<String> nameservers, List<String> search, String domain, List<String> options) {
    public DnsFacts {
        nameservers = nameservers == null ? List.of() : nameservers;
        search = search == null ? List.of() : search;
        options = options == null ? List.of() : options;
    }
}
