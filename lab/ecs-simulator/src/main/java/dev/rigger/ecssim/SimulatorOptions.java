package dev.rigger.ecssim;

import java.nio.file.Path;
import java.util.Map;

/**
 * The simulator's settings, read from environment variables (see {@link EcsSimulatorMain}).
 * Paths are resolved under {@link #root()} so tests can point the whole container layout at a temp dir.
 */
public record SimulatorOptions(
        long bootDelaySec,
        long storeReadySec,
        long dtReadySec,
        Path root,
        int mgmtPort,
        int dtPort,
        Path keystore,
        char[] keystorePassword,
        String rootPassword,
        boolean skipMountCheck) {

    public static SimulatorOptions fromEnvironment(Map<String, String> env) {
        Path root = Path.of(env.getOrDefault("ECSSIM_ROOT", "/"));
        String keystore = env.get("ECSSIM_KEYSTORE");
        return new SimulatorOptions(
                number(env, "ECSSIM_BOOT_DELAY_SEC", 20),
                number(env, "ECSSIM_STORE_READY_SEC", 10),
                number(env, "ECSSIM_DT_READY_SEC", 10),
                root,
                (int) number(env, "ECSSIM_MGMT_PORT", 4443),
                (int) number(env, "ECSSIM_DT_PORT", 9101),
                keystore == null || keystore.isBlank()
                        ? under(root, "/data/ecssim/keystore.p12") : Path.of(keystore),
                env.getOrDefault("ECSSIM_KEYSTORE_PASSWORD", "changeit").toCharArray(),
                env.getOrDefault("ECSSIM_ROOT_PASSWORD", "ChangeMe"),
                "1".equals(env.get("ECSSIM_SKIP_MOUNT_CHECK")));
    }

    /** A container path such as {@code /host/data/network.json}, under the configured root. */
    public Path path(String containerPath) {
        return under(root, containerPath);
    }

    private static Path under(Path root, String containerPath) {
        return root.resolve(containerPath.substring(1));
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative integer, got \"" + value + "\"");
        }
    }

    @Override
    public String toString() {
        return "SimulatorOptions[root=" + root + ", mgmtPort=" + mgmtPort + ", dtPort=" + dtPort
                + ", bootDelaySec=" + bootDelaySec + ", storeReadySec=" + storeReadySec + "]";
    }
}
