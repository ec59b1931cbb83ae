package dev.rigger.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host as a playbook's inventory declares it, before defaults are filled in; the controller resolves it
 * into the host it connects to.
 *
 * @param port         null for the SSH default
 * @param user         null for the SSH default
 * @param identityFile null for the SSH default
 * @param vars         host vars as template context values
 */
public record DeclaredHost(String name, String address, Integer port, String user, String identityFile,
                           List<String> groups, Map<String, Object> vars) {

    public DeclaredHost {
        groups = List.copyOf(groups);
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }
}
