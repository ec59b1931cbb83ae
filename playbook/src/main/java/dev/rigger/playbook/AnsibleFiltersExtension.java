package dev.rigger.playbook;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The filters Ansible users reach for that Pebble lacks: bool, int, to_json, to_uuid. */
final class AnsibleFiltersExtension extends AbstractExtension {

    /** Ansible's own namespace for {@code to_uuid}, so the same name gives the same UUID as Ansible. */
    static final UUID ANSIBLE_NAMESPACE = UUID.fromString("361e6d51-faec-444a-9079-341386da8e2e");

    private final Map<String, Filter> filters;

    AnsibleFiltersExtension(Filter nativeCapture) {
        this.filters = Map.of(
                "bool", (SimpleFilter) (input, args) -> toBool(input),
                "int", (SimpleFilter) (input, args) -> toInt(input),
                "to_json", (SimpleFilter) (input, args) -> ContextValues.json(input),
                "to_uuid", new ToUuidFilter(),
                Templates.NATIVE_FILTER, nativeCapture);
    }

    @Override
    public Map<String, Filter> getFilters() {
        return filters;
    }

    /** Ansible's {@code bool}: true for true, 1 and the strings yes/on/1/true (any case). */
    static boolean toBool(Object input) {
        if (input instanceof Boolean b) {
            return b;
        }
        if (input instanceof Number n) {
            return n.doubleValue() == 1;
        }
        if (input == null) {
            return false;
        }
        return switch (input.toString().trim().toLowerCase(Locale.ROOT)) {
            case "yes", "on", "1", "true" -> true;
            default -> false;
        };
    }

    /** Jinja's {@code int}: numbers truncate, numeric strings parse, anything else is 0. */
    static long toInt(Object input) {
        if (input instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (input instanceof Number n) {
            return n.longValue();
        }
        if (input == null) {
            return 0;
        }
        String text = input.toString().trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notAnInteger) {
            try {
                return (long) Double.parseDouble(text);
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
    }

    /** RFC 4122 version 5 (SHA-1) name-based UUID, as Python's {@code uuid.uuid5}. */
    static UUID uuid5(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16)
                    .putLong(namespace.getMostSignificantBits())
                    .putLong(namespace.getLeastSignificantBits())
                    .array());
            byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bytes.getLong(), bytes.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /** A filter without named arguments. */
    @FunctionalInterface
    interface SimpleFilter extends Filter {
        Object apply(Object input, Map<String, Object> args);

        @Override
        default Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                             int lineNumber) {
            return apply(input, args);
        }

        @Override
        default List<String> getArgumentNames() {
            return List.of();
        }
    }

    private static final class ToUuidFilter implements Filter {
        @Override
        public List<String> getArgumentNames() {
            return List.of("namespace");
        }

        @Override
        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                            int lineNumber) {
            if (input == null) {
                throw new PebbleException(null, "to_uuid needs a value, got null", lineNumber, self.getName());
            }
            Object namespace = args.get("namespace");
            UUID ns = namespace == null ? ANSIBLE_NAMESPACE : UUID.fromString(namespace.toString());
            return uuid5(ns, input.toString()).toString();
        }
    }
}
