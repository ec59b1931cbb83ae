package dev.rigger.controller.bootstrap;

import dev.rigger.controller.ssh.Shell;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the bootstrap needs to know about a host, gathered by one command (every SSH round trip costs
 * about 150 ms): architecture, glibc, the user and whether it may use sudo, a usable Java, the sha256 of the
 * agent jar and the manifest hash of the runtime as they are on the host, and the owner and mode of every path
 * the agent runs from. The probe changes nothing on the host.
 *
 * @param jarSha256       sha256 of the agent jar on the host, null when there is none
 * @param runtimeManifest the {@link RuntimeManifest} hash of the runtime directory on the host, null when none
 * @param sudo            root, or a user that may run {@code sudo -n}
 * @param paths           the paths asked about that exist, by path
 * @param forwardListeners the local addresses of the sockets listening on the forward's port, as
 *                        {@code /proc/net/tcp} and {@code tcp6} show them (hex, e.g. {@code 0100007F:9C40})
 */
record HostProbe(String arch, String glibc, int uid, String javaPath, int javaMajor, String jarSha256,
                 String runtimeManifest, boolean sudo, Map<String, PathStat> paths, List<String> forwardListeners) {

    /**
     * The probe command.
     *
     * @param jar        the agent jar's path on the host
     * @param runtimeDir the runtime directory's path on the host
     * @param paths      paths whose owner and mode to report (not following a final symbolic link)
     * @param forwardPort the port sshd listens on for the remote forward to the bridge
     */
    static String script(String jar, String runtimeDir, List<String> paths, int forwardPort) {
        StringBuilder quoted = new StringBuilder();
        paths.forEach(p -> quoted.append(' ').append(Shell.quote(p)));
        return String.join("\n",
                "J=" + Shell.quote(jar) + "; D=" + Shell.quote(runtimeDir) + "; U=$(id -u)",
                "echo \"uid=$U\"",
                "echo \"arch=$(uname -m)\"",
                "echo \"glibc=$( (getconf GNU_LIBC_VERSION || ldd --version) 2>/dev/null | head -n1)\"",
                "H=$(command -v java 2>/dev/null) && echo \"java=$H\""
                        + " && echo \"javaVersion=$(\"$H\" -version 2>&1 | grep -m1 ' version ')\"",
                "if [ \"$U\" = 0 ] || sudo -n true >/dev/null 2>&1; then echo sudo=yes; else echo sudo=no; fi",
                // one stat for every path (a fork each cost a warm run more than the rest of the probe);
                // a missing path is left out of the output
                "stat -c 'stat=%u %f %n' --" + quoted + " 2>/dev/null",
                "[ -f \"$J\" ] && [ ! -L \"$J\" ] && echo \"jarSha256=$(sha256sum < \"$J\" | cut -c1-64)\"",
                // the stamp file is trusted only as root's, unwritable by others, in a directory the controller checks
                "if [ -d \"$D\" ] && [ ! -L \"$D\" ]; then C=\"$D.verified\"",
                "  if [ -f \"$C\" ] && [ ! -L \"$C\" ] && [ \"$(stat -c %u:%a \"$C\")\" = 0:644 ]"
                        + " && [ \"$(head -c 64 \"$C\")\" = \"$(cd \"$D\" && " + RuntimeManifest.stampCommand() + ")\" ];"
                        + " then echo \"runtimeManifest=$(tail -c +66 \"$C\" | head -c 64)\"",
                "  else echo \"runtimeManifest=$(cd \"$D\" && " + RuntimeManifest.command() + ")\"; fi",
                "fi",
                "grep -h ' [0-9A-F]*:" + String.format("%04X", forwardPort) + " ' /proc/net/tcp /proc/net/tcp6 2>/dev/null"
                        + " | while read -r _ L _ S _; do [ \"$S\" = 0A ] && echo \"listen=$L\"; done",
                "true");
    }

    static HostProbe parse(String output) {
        Map<String, String> values = new HashMap<>();
        Map<String, PathStat> paths = new LinkedHashMap<>();
        List<String> listeners = new ArrayList<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1);
            if ("listen".equals(key)) {
                listeners.add(value.strip());
            } else if ("stat".equals(key)) {
                PathStat stat = PathStat.parse(value);
                if (stat != null) {
                    paths.put(stat.path(), stat);
                }
            } else {
                values.put(key, value.strip());
            }
        }
        String java = values.get("java");
        return new HostProbe(
                values.getOrDefault("arch", ""),
                Versions.glibc(values.get("glibc")),
                parseInt(values.get("uid")),
                java == null || java.isEmpty() ? null : java,
                java == null ? 0 : Versions.javaMajor(values.get("javaVersion")),
                sha256(values.get("jarSha256")),
                sha256(values.get("runtimeManifest")),
                "yes".equals(values.get("sudo")),
                Map.copyOf(paths),
                List.copyOf(listeners));
    }

    boolean isRoot() {
        return uid == 0;
    }

    /** A hash as sha256sum prints it, or null for anything else (a failed command prints nothing useful). */
    private static String sha256(String value) {
        return value != null && value.matches("[0-9a-f]{64}") ? value : null;
    }

    private static int parseInt(String value) {
        try {
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
