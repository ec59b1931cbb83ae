package dev.rigger.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated playbook.
 *
 * @param vars      playbook vars, already as template context values (see {@link Templates#toContextValue})
 * @param inventory hosts the playbook declares itself; {@link PlaybookInventory#EMPTY} when none
 * @param source    the name the playbook was loaded from, used in every problem message
 * @param maskVars  globs over var names whose values every output masks; null: {@link #DEFAULT_MASK_VARS}
 */
public record Playbook(String name, Map<String, Object> vars, PlaybookInventory inventory, List<Play> plays,
                       String source, List<String> maskVars) {

    /** Var names whose values are masked unless the playbook says otherwise, as CI systems and Ansible users expect. */
    public static final List<String> DEFAULT_MASK_VARS = List.of("*password*", "*secret*", "*token*");

    public Playbook {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        plays = List.copyOf(plays);
        maskVars = maskVars == null ? DEFAULT_MASK_VARS : List.copyOf(maskVars);
    }

    public Playbook(String name, Map<String, Object> vars, PlaybookInventory inventory, List<Play> plays, String source) {
        this(name, vars, inventory, plays, source, null);
    }
}
