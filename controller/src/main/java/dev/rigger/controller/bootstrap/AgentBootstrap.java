package dev.rigger.controller.bootstrap;

import dev.rigger.controller.security.Secret;
import dev.rigger.controller.ssh.ExecResult;
import dev.rigger.controller.ssh.RemoteProcess;
import dev.rigger.controller.ssh.Shell;
import dev.rigger.controller.ssh.SshHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Gets the agent running on a host: one probe command, then only what the host lacks is uploaded (a Java
 * runtime when it has no Java 17+, the agent jar unless the same sha256 is there), then the agent is
 * started under the SSH session and handed its one-time token on stdin. Files on the host live under a
 * remote root (normally {@code /var/lib/rigger}): {@code agent/<sha256>.jar} and {@code runtime/<id>/}.
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
     * Installs what is missing and starts {@code agent connect --host-name <hostName> --port <forwardPort>}.
     *
     * @param forwardPort the host-side port of the remote forward to the bridge
     * @param agentLog    receives the agent's output lines (its log), on SSH I/O threads
     */
    public AgentProcess start(SshHost host, Path agentJar, int forwardPort, String hostName, Secret token,
                              Consumer<String> agentLog) throws IOException {
        String where = host.target().describe();
        long sentBefore = host.bytesSent();
        String jarName = digest(agentJar) + ".jar";
        HostProbe probe = probe(host, jarName);
        if (!probe.isRoot() && !probe.rootWritable()) {
            throw new BootstrapException(where + ": user " + host.target().user() + " is not root and cannot make "
                    + remoteRoot + " writable with passwordless sudo (sudo -n); the agent needs root");
        }

        boolean runtimeShipped = false;
        String java;
        if (useHostJava && probe.javaPath() != null && probe.javaMajor() >= MIN_JAVA) {
            java = probe.javaPath();
        } else {
            java = remoteRoot + "/runtime/" + runtime.id() + "/bin/java";
            // a runtime already on the host was proven to start there when it was installed
            if (!probe.runtimePresent()) {
                requireCompatible(where, probe);
                installRuntime(host);
                runtimeShipped = true;
            }
        }

        boolean jarShipped = false;
        String remoteJar = remoteRoot + "/agent/" + jarName;
        if (!probe.jarPresent()) {
            host.upload(agentJar, remoteJar, 0644);
            jarShipped = true;
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
        return new AgentProcess(process, runtimeShipped, jarShipped, host.bytesSent() - sentBefore, java);
    }

    private HostProbe probe(SshHost host, String jarName) throws IOException {
        ExecResult result = host.exec(HostProbe.script(remoteRoot, jarName, runtime.id()), PROBE_TIMEOUT);
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
     * Uploads the runtime archive and unpacks it beside its final place, then renames it there: the final
     * directory exists only when complete, so a run killed half-way leaves debris the next run removes.
     */
    private void installRuntime(SshHost host) throws IOException {
        RuntimeArchive archive = runtime.archive();
        String dir = remoteRoot + "/runtime";
        String packed = dir + "/" + archive.id() + ".tar.gz";
        host.upload(archive.file(), packed, 0600);
        String id = Shell.quote(archive.id());
        String script = String.join("\n",
                "set -e",
                "cd " + Shell.quote(dir),
                "rm -rf .unpack-*",
                "T=$(mktemp -d ./.unpack-XXXXXX)",
                "tar -xzf " + id + ".tar.gz -C \"$T\"",
                "if ! \"$T\"/" + id + "/bin/java -version >\"$T/version.txt\" 2>&1; then cat \"$T/version.txt\" >&2;"
                        + " rm -rf \"$T\"; exit 3; fi",
                "[ -d " + id + " ] || mv \"$T\"/" + id + " " + id,
                "rm -rf \"$T\" " + id + ".tar.gz");
        ExecResult result = host.exec(script, UNPACK_TIMEOUT);
        if (!result.succeeded()) {
            String why = result.exitCode() == 3 ? "the shipped runtime does not start there" : "unpacking it failed";
            throw new BootstrapException(host.target().describe() + ": installing the Java runtime in " + dir
                    + " failed: " + why + ": " + result.stderr().strip());
        }
    }

    /** sha256 of the jar, remembered while the file is unchanged: hundreds of hosts share one jar. */
    /** Once per jar and process: hosts connecting side by side would otherwise each hash it again. */
    private synchronized String digest(Path jar) throws IOException {
        Path key = jar.toAbsolutePath().normalize();
        FileTime modified = Files.getLastModifiedTime(key);
        long size = Files.size(key);
        JarDigest known = digests.get(key);
        if (known != null && known.modified().equals(modified) && known.size() == size) {
            return known.sha256();
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(key), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            String sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            digests.put(key, new JarDigest(modified, size, sha));
            return sha;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private record JarDigest(FileTime modified, long size, String sha256) {
    }
}
