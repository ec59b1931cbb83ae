package dev.rigger.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** playbooks/schema/playbook.schema.json, as packaged in this jar, and validation against it. */
public final class PlaybookSchema {

    static final String RESOURCE = "/dev/rigger/playbook/schema/playbook.schema.json";

    private static final PlaybookSchema INSTANCE = new PlaybookSchema();

    private final JsonNode document;
    private final JsonSchema schema;
    private final List<String> modules;

    private PlaybookSchema() {
        try (InputStream in = PlaybookSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the playbook schema is missing from the classpath: " + RESOURCE);
            }
            document = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the playbook schema " + RESOURCE, e);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(document, config);
        List<String> names = new ArrayList<>();
        document.at("/$defs/module/enum").forEach(n -> names.add(n.asText()));
        modules = names.stream().sorted().toList();
    }

    public static PlaybookSchema get() {
        return INSTANCE;
    }

    /** The schema itself, for {@code rigger schema} or an HTTP endpoint. */
    public JsonNode document() {
        return document;
    }

    /** Every module name the schema accepts, sorted. */
    public List<String> modules() {
        return modules;
    }

    Set<ValidationMessage> validate(JsonNode playbook) {
        return schema.validate(playbook);
    }
}
