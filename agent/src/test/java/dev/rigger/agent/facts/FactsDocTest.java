package dev.rigger.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.protocol.facts.HostFacts;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/facts.md describes every field of the facts, so the schema and its documentation cannot drift apart. */
class FactsDocTest {
    /** Maven runs the tests in the module's directory; the docs are beside the modules. */
    private static final Path DOC = Path.of("..", "docs", "facts.md");

    @Test
    void everyFieldOfTheFactsHasARowInDocsFactsMd() throws Exception {
        assertThat(DOC).as("docs/facts.md next to the agent module").exists();
        String doc = Files.readString(DOC);
        Set<String> fields = new LinkedHashSet<>();
        collect(HostFacts.class, fields, new LinkedHashSet<>());
        assertThat(fields).as("record components found").contains("schemaVersion", "sizeBytes", "nameservers");
        for (String field : fields) {
            // a table row names the field in backticks, alone or at the end of a path: `memory.freeBytes`, `.serial`
            Pattern row = Pattern.compile("(?m)^\\| `[^`]*\\b" + Pattern.quote(field) + "(\\[\\])?`");
            assertThat(row.matcher(doc).find()).as("docs/facts.md has a row for " + field).isTrue();
        }
        assertThat(doc).contains("schema version " + HostFacts.SCHEMA_VERSION);
    }

    private static void collect(Class<?> type, Set<String> fields, Set<Class<?>> seen) {
        if (!type.isRecord() || !seen.add(type)) {
            return;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            fields.add(c.getName());
            collect(c.getType(), fields, seen);
            Type generic = c.getGenericType();
            if (generic instanceof ParameterizedType p) {
                for (Type arg : p.getActualTypeArguments()) {
                    if (arg instanceof Class<?> k) {
                        collect(k, fields, seen);
                    }
                }
            }
        }
    }
}
