package dev.rigger.controller.bootstrap;

import dev.rigger.controller.security.Secret;
import dev.rigger.controller.ssh.ExecResult;
import dev.rigger.controller.ssh.RemoteProcess;
import dev.rigger.controller.ssh.Shell;
import dev.rigger.controller.ssh.SshHost;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Gets the agent running on a host: one probe command, then only what the host lacks or holds changed is
 * shipped (a Java runtime when it has no Java 17+ and no runtime with the same manifest, the agent jar unless
 * one with the same sha256 is there), then the agent is started under the SSH session and handed its one-time
 * token on stdin. Files on the host live under a remote root (normally {@code /var/lib/rigger}), root's alone:
 * {@code agent/<sha256>.jar} and {@code runtime/<id>/}.
 */
public final class AgentBootstrap {

    public static final String DEFAULT_REMOTE_ROOT = "/var/lib/rigger";
    public static final int MIN_JAVA = 17;

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);
    // a small heap grown on demand, a small code cache and one compiler thread: the agent mostly waits, and its
    // resident memory is what it costs the host (bench/run.sh measures it)
    private static final String JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xms8m -Xmx64m"
            + " -Xss512k -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m"
            // vfork spawns blkid, partx and ip about a fifth cheaper than the default posix_spawn helper
            + " -Djdk.lang.Process.launchMechanism=VFORK";

    private final RuntimeImage runtime;
    private final String remoteRoot;
    private final boolean useHostJava;
    private final Map<Path, JarDigest> digests = new ConcurrentHashMap<>();

    /**
     * @param runtime     the runtime to ship to hosts without Java
     * @param remoteRoot  where files go on the host
     * @param useHostJava run on the host's own Java when it is 17 or newer; false always uses the shipped runtime
     */
    public AgentBootstrap(RuntimeImage runtime, String remoteRoot, boolean useHostJava) {
        this.runtime = runtime;
        this.remoteRoot = remoteRoot.endsWith("/") && remoteRoot.length() > 1
                ? remoteRoot.substring(0, remoteRoot.length() - 1) : remoteRoot;
        this.useHostJava = useHostJava;
    }

    public AgentBootstrap(RuntimeImage runtime) {
        this(runtime, DEFAULT_REMOTE_ROOT, true);
    }

    /**
     * Installs what is missing or differs and starts {@code agent connect --host-name <hostName> --port
     * <forwardPort>}. Nothing is run on a host whose remote root is not root's alone ({@link RootOnlyPaths}), and
     * the jar and the runtime run only once their sha256 and manifest match the controller's.
     *
     * @param forwardPort the host-side port of the remote forward to the bridge
     * @param agentLog    receives the agent's output lines (its log), on SSH I/O threads
     */
    public AgentProcess start(SshHost host, Path agentJar, int forwardPort, String hostName, Secret token,
                              Consumer<String> agentLog) throws IOException {
        String where = host.target().describe();
        long sentBefore = host.bytesSent();
        String jarSha = digest(agentJar);
        String remoteJar = remoteRoot + "/agent/" + jarSha + ".jar";
        String runtimeDir = remoteRoot + "/runtime/" + runtime.id();
        List<String> ancestors = RootOnlyPaths.ancestors(remoteRoot);
        List<String> jarPaths = List.of(remoteRoot, remoteRoot + "/agent", remoteJar);
        List<String> runtimePaths = List.of(remoteRoot + "/runtime", runtimeDir);
        List<String> asked = new ArrayList<>(ancestors);
        asked.addAll(jarPaths);
        asked.addAll(runtimePaths);
        HostProbe probe = probe(host, remoteJar, runtimeDir, asked, forwardPort);
        String exposed = ForwardBinding.refusal(where, forwardPort, probe.forwardListeners());
        if (exposed != null) {
            throw new BootstrapException(exposed);
        }
        if (!probe.sudo()) {
            throw new BootstrapException(where + ": user " + host.target().user() + " is not root and cannot use"
                    + " passwordless sudo (sudo -n); the agent needs root");
        }

        boolean hostJava = useHostJava && probe.javaPath() != null && probe.javaMajor() >= MIN_JAVA;
        List<String> own = new ArrayList<>(jarPaths);
        if (!hostJava) {
            own.addAll(runtimePaths);
        }
        String refusal = RootOnlyPaths.refusal(where, probe.paths(), ancestors, own);
        if (refusal != null) {
            throw new BootstrapException(refusal);
        }

        RuntimeArchive shipRuntime = null;
        String java = probe.javaPath();
        if (!hostJava) {
            java = runtimeDir + "/bin/java";
            RuntimeArchive archive = runtime.archive();
            // a stale, half-written or changed runtime is replaced: only the one the controller built runs
            if (!archive.manifest().equals(probe.runtimeManifest())) {
                requireCompatible(where, probe);
                shipRuntime = archive;
            }
        }
        boolean shipJar = !jarSha.equals(probe.jarSha256());
        if (shipRuntime != null || shipJar) {
            install(host, probe, shipRuntime, shipJar ? agentJar : null, jarSha);
        }

        String command = "exec " + (probe.isRoot() ? "" : "sudo -n ") + "env LANG=C.UTF-8 " + Shell.quote(java)
                + " " + JVM_OPTIONS + " -jar " + Shell.quote(remoteJar) + " connect --host-name "
                + Shell.quote(hostName) + " --port " + forwardPort;
        RemoteProcess process = host.start(command, agentLog, agentLog);
        try {
            OutputStream stdin = process.stdin();
            stdin.write((token.reveal() + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            process.close();
            throw new BootstrapException(where + ": the agent started but did not take its token on stdin: "
                    + e.getMessage(), e);
        }
        return new AgentProcess(process, shipRuntime != null, shipJar, host.bytesSent() - sentBefore, java);
    }

    private HostProbe probe(SshHost host, String remoteJar, String runtimeDir, List<String> paths, int forwardPort)
            throws IOException {
        ExecResult result = host.exec(HostProbe.script(remoteJar, runtimeDir, paths, forwardPort), PROBE_TIMEOUT);
        if (!result.succeeded()) {
            throw new BootstrapException(host.target().describe() + ": probing the host failed (exit "
                    + result.exitCode() + "): " + result.stderr().strip());
        }
        return HostProbe.parse(result.stdout());
    }

    /** The runtime is built for one CPU architecture and glibc; refuse before shipping 40 MB that cannot run. */
    private void requireCompatible(String where, HostProbe probe) throws IOException {
        String glibc = runtime.arch().equals(probe.arch()) ? runtime.archive().glibcVersion() : null;
        String refusal = incompatibility(where, probe, runtime.arch(), glibc);
        if (refusal != null) {
            throw new BootstrapException(refusal);
        }
    }

    /** Why a runtime for {@code arch} and {@code glibc} cannot run on the probed host, or null when it can. */
    static String incompatibility(String where, HostProbe probe, String arch, String glibc) {
        String javaState = probe.javaPath() == null ? "has no Java"
                : "has Java " + (probe.javaMajor() > 0 ? probe.javaMajor() : "of unknown version") + " at "
                + probe.javaPath();
        String prefix = where + " " + javaState + " (" + MIN_JAVA + "+ needed) and the runtime rigger ships";
        String hint = "; install Java " + MIN_JAVA + "+ on the host";
        if (!arch.equals(probe.arch())) {
            return prefix + " is built for " + arch + ", but the host is "
                    + (probe.arch().isEmpty() ? "of unknown architecture" : probe.arch()) + hint;
        }
        if (Versions.compare(probe.glibc(), glibc) < 0) {
            return prefix + " needs glibc " + glibc + " or newer, but the host has "
                    + (probe.glibc() == null ? "no glibc rigger could find (musl?)" : "glibc " + probe.glibc()) + hint;
        }
        return null;
    }

    /**
     * Ships the jar, the runtime or both: uploaded as the SSH user into a fresh {@code mktemp -d} directory, then
     * installed by root ({@code sudo -n} for another user) owned by root, mode 0644 for the jar and the archive's
     * modes for the runtime, each renamed into place only when complete. The installed jar is hashed again on
     * the host, and the runtime archive before root unpacks it; a copy that differs from the controller's is
     * refused, naming its path. The unpacked runtime is not hashed again (reading every file of it again on
     * each host was most of a cold run's bootstrap cost): root unpacked a verified archive into a directory only root can write, so its stamp
     * records the manifest the controller computed, and any later change to the tree changes the stamp, which
     * sends the next probe back to a full {@link RuntimeManifest} check.
     */
    private void install(SshHost host, HostProbe probe, RuntimeArchive archive, Path jar, String jarSha)
            throws IOException {
        String where = host.target().describe();
        ExecResult made = host.exec("mktemp -d", PROBE_TIMEOUT);
        String stage = made.stdout().strip();
        if (!made.succeeded() || !stage.startsWith("/") || stage.contains("\n")) {
            throw new BootstrapException(where + ": cannot make a staging directory with mktemp -d (exit "
                    + made.exitCode() + "): " + made.stderr().strip());
        }
        String jarName = jarSha + ".jar";
        String remoteJar = remoteRoot + "/agent/" + jarName;
        List<String> script = new ArrayList<>(List.of(
                "set -e",
                "umask 022",
                "S=" + Shell.quote(stage) + "; R=" + Shell.quote(remoteRoot),
                "trap 'rm -rf \"$S\"' EXIT",
                // made here, as root, only when missing: the probe found what exists root's alone
                "for P in \"$R\" \"$R/agent\" \"$R/runtime\"; do [ -d \"$P\" ] && [ ! -L \"$P\" ] || mkdir -m 0755 \"$P\"; done"));
        if (jar != null) {
            host.upload(jar, stage + "/agent.jar", 0600);
            script.add("install -o 0 -g 0 -m 0644 \"$S/agent.jar\" \"$R/agent/." + jarName + ".new\"");
            script.add("mv -f \"$R/agent/." + jarName + ".new\" \"$R/agent/" + jarName + "\"");
            script.add("echo \"jarSha256=$(sha256sum < \"$R/agent/" + jarName + "\" | cut -c1-64)\"");
        }
        String id = archive == null ? null : Shell.quote(archive.id());
        if (archive != null) {
            host.upload(archive.file(), stage + "/runtime.tar.gz", 0600);
            script.addAll(List.of(
                    "[ \"$(sha256sum < \"$S/runtime.tar.gz\" | cut -c1-64)\" = " + digest(archive.file()) + " ] || exit 4",
                    "cd \"$R/runtime\"",
                    // what an install killed half-way leaves: unpack directories, archives of older versions
                    "rm -rf .unpack-* ./*.tar.gz ./*.tar.gz.part ./*.verified.new",
                    "T=$(mktemp -d ./.unpack-XXXXXX)",
                    "tar -xzf \"$S/runtime.tar.gz\" -C \"$T\"",
                    "if ! \"$T\"/" + id + "/bin/java -version >\"$T/version.txt\" 2>&1; then cat \"$T/version.txt\" >&2;"
                            + " rm -rf \"$T\"; exit 3; fi",
                    "rm -rf " + id,
                    "mv \"$T\"/" + id + " " + id,
                    "rm -rf \"$T\"",
                    "K=$(cd " + id + " && " + RuntimeManifest.stampCommand() + ")",
                    "rm -f " + id + ".verified",
                    "printf '%s %s\\n' \"$K\" " + Shell.quote(archive.manifest()) + " > " + id + ".verified.new",
                    "chmod 0644 " + id + ".verified.new",
                    "mv -f " + id + ".verified.new " + id + ".verified"));
        }
        String body = String.join("\n", script);
        String command = probe.isRoot() ? body : "sudo -n sh -c " + Shell.quote(body);
        ExecResult result = host.exec(command, UNPACK_TIMEOUT);
        if (!result.succeeded()) {
            String why = switch (result.exitCode()) {
                case 3 -> "the shipped Java runtime does not start there";
                case 4 -> "the runtime archive arrived changed (its sha256 is not the controller's); nothing was"
                        + " unpacked";
                default -> "installing failed";
            };
            throw new BootstrapException(where + ": installing the agent in " + remoteRoot + " failed: " + why
                    + ": " + result.stderr().strip());
        }
        HostProbe installed = HostProbe.parse(result.stdout());
        if (jar != null && !jarSha.equals(installed.jarSha256())) {
            throw new BootstrapException(where + ": " + remoteJar + " does not match the agent jar just shipped"
                    + " (sha256 " + installed.jarSha256() + ", expected " + jarSha + "); refusing to run it");
        }
    }

    /** sha256 of the jar, remembered while the file is unchanged: hundreds of hosts share one jar. */
    private synchronized String digest(Path jar) throws IOException {
        Path key = jar.toAbsolutePath().normalize();
        FileTime modified = Files.getLastModifiedTime(key);
        long size = Files.size(key);
        JarDigest known = digests.get(key);
        if (known != null && known.modified().equals(modified) && known.size() == size) {
            return known.sha256();
        }
        String sha = RuntimeManifest.sha256(key);
        digests.put(key, new JarDigest(modified, size, sha));
        return sha;
    }

    private record JarDigest(FileTime modified, long size, String sha256) {
    }
}
