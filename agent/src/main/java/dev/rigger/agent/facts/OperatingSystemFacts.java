package dev.rigger.agent.facts;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.exec.OutputSink;
import dev.rigger.protocol.facts.OsFacts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OS facts: /etc/os-release (ID, NAME, VERSION_ID), the running kernel, the CPU architecture as
 * {@code uname -m} names it, and the glibc version (a shipped Java runtime is tied to it).
 */
public final class OperatingSystemFacts {
    /** Installing or upgrading a library runs ldconfig, which rewrites /etc/ld.so.cache: the glibc version changes only then. */
    private static final CachedProbe<String> GLIBC = new CachedProbe<>(List.of(Path.of("/etc/ld.so.cache")), Duration.ofHours(1));

    private OperatingSystemFacts() {
    }

    public static OsFacts collect() {
        return collect(Instant.now().plusSeconds(60));
    }

    /** The OS facts; the glibc probes are killed at the deadline (a {@code CommandTimeoutException} says so). */
    public static OsFacts collect(Instant deadline) {
        return withGlibc(collectWithoutGlibc(), glibc(deadline));
    }

    /** Everything but the glibc version, which is the one fact that needs a command. */
    static OsFacts collectWithoutGlibc() {
        Map<String, String> release = parseOsRelease(SysFiles.readOrEmpty(Path.of("/etc/os-release")));
        String kernel = SysFiles.read(Path.of("/proc/sys/kernel/osrelease"));
        return new OsFacts(release.get("ID"), release.get("NAME"), release.get("VERSION_ID"), kernel, arch(), null);
    }

    static OsFacts withGlibc(OsFacts os, String glibc) {
        return new OsFacts(os.family(), os.name(), os.version(), os.kernel(), os.arch(), glibc);
    }

    /** Whole seconds since boot from /proc/uptime, or null when it cannot be read. */
    public static Long uptimeSeconds() {
        return parseUptime(SysFiles.read(Path.of("/proc/uptime")));
    }

    /** The first number of /proc/uptime ({@code 12345.67 23456.78}: up, idle), rounded down. */
    public static Long parseUptime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return (long) Double.parseDouble(text.strip().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return null;
        }
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

    static String glibc(Instant deadline) {
        return GLIBC.get("", () -> probeGlibc(deadline));
    }

    private static String probeGlibc(Instant deadline) {
        CommandOutcome getconf = CommandRunner.run(CommandSpec.of("getconf", "GNU_LIBC_VERSION"), OutputSink.DISCARD, deadline);
        if (getconf.ok()) {
            String v = parseGlibc(getconf.stdout().lines().findFirst().orElse(null));
            if (v != null) {
                return v;
            }
        }
        CommandOutcome ldd = CommandRunner.run(CommandSpec.of("ldd", "--version"), OutputSink.DISCARD, deadline);
        return ldd.ok() ? parseGlibc(ldd.stdout().lines().findFirst().orElse(null)) : null;
    }
}
