package dev.rigger.controller.bootstrap;

import dev.rigger.controller.ssh.Shell;
import java.util.HashMap;
import java.util.Map;

/**
 * What the bootstrap needs to know about a host, gathered by one command (every SSH round trip costs
 * about 150 ms): architecture, glibc, the user, a usable Java, and whether the agent jar and the runtime
 * are already there.
 */
record HostProbe(String arch, String glibc, int uid, String javaPath, int javaMajor, boolean jarPresent,
                 boolean runtimePresent, boolean rootWritable) {

    /**
     * The probe command. For a user other than root it also makes the remote root's directories that
     * user's (through {@code sudo -n}) so SFTP can write there; the agent then runs under sudo.
     */
    static String script(String remoteRoot, String jarName, String runtimeId) {
        String root = Shell.quote(remoteRoot);
        return String.join("\n",
                "R=" + root + "; U=$(id -u)",
                "echo \"uid=$U\"",
                "echo \"arch=$(uname -m)\"",
                "echo \"glibc=$( (getconf GNU_LIBC_VERSION || ldd --version) 2>/dev/null | head -n1)\"",
                "J=$(command -v java 2>/dev/null) && echo \"java=$J\""
                        + " && echo \"javaVersion=$(\"$J\" -version 2>&1 | grep -m1 ' version ')\"",
                "[ -f \"$R/agent/" + jarName + "\" ] && echo jar=yes",
                "[ -x \"$R/runtime/" + runtimeId + "/bin/java\" ] && echo runtime=yes",
                "if [ \"$U\" = 0 ] || [ -w \"$R/agent\" ] || mkdir -p \"$R/agent\" \"$R/runtime\" 2>/dev/null;"
                        + " then echo writable=yes",
                "elif sudo -n install -d -o \"$U\" -m 0755 \"$R\" \"$R/agent\" \"$R/runtime\" >/dev/null 2>&1;"
                        + " then echo writable=yes",
                "else echo writable=no; fi",
                "true");
    }

    static HostProbe parse(String output) {
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        String java = values.get("java");
        return new HostProbe(
                values.getOrDefault("arch", ""),
                Versions.glibc(values.get("glibc")),
                parseInt(values.get("uid")),
                java == null || java.isEmpty() ? null : java,
                java == null ? 0 : Versions.javaMajor(values.get("javaVersion")),
                "yes".equals(values.get("jar")),
                "yes".equals(values.get("runtime")),
                "yes".equals(values.get("writable")));
    }

    boolean isRoot() {
        return uid == 0;
    }

    private static int parseInt(String value) {
        try {
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
