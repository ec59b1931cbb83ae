package dev.rigger.agent.facts;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.protocol.facts.OsFacts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OS facts: /etc/os-release (ID, NAME, VERSION_ID), the running kernel, the CPU architecture as
 * {@code uname -m} names it, and the glibc version (a shipped Java runtime is tied to it).
 */
public final class OperatingSystemFacts {
    private OperatingSystemFacts() {
    }

    public static OsFacts collect() {
        Map<String, String> release = parseOsRelease(SysFiles.readOrEmpty(Path.of("/etc/os-release")));
        String kernel = SysFiles.read(Path.of("/proc/sys/kernel/osrelease"));
        return new OsFacts(release.get("ID"), release.get("NAME"), release.get("VERSION_ID"), kernel, arch(), glibc());
    }

    /** KEY=value lines of os-release(5), with shell quoting removed. */
    public static Map<String, String> parseOsRelease(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(line.substring(0, eq).strip(), value);
        }
        return values;
    }

    /** The version at the end of {@code ldd --version}'s first line, or of {@code getconf GNU_LIBC_VERSION}. */
    public static String parseGlibc(String firstLine) {
        if (firstLine == null || firstLine.isBlank()) {
            return null;
        }
        String[] words = firstLine.strip().split("\\s+");
        String last = words[words.length - 1];
        return last.matches("\\d+(\\.\\d+)+") ? last : null;
    }

    static String arch() {
        String javaArch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        // Java says amd64 where uname -m (and every download page for runtimes) says x86_64
        return switch (javaArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> javaArch;
        };
    }

    private static String glibc() {
        CommandOutcome getconf = CommandRunner.probe("getconf", "GNU_LIBC_VERSION");
        if (getconf.ok()) {
            String v = parseGlibc(getconf.stdout().lines().findFirst().orElse(null));
            if (v != null) {
                return v;
            }
        }
        CommandOutcome ldd = CommandRunner.probe("ldd", "--version");
        return ldd.ok() ? parseGlibc(ldd.stdout().lines().findFirst().orElse(null)) : null;
    }
}
