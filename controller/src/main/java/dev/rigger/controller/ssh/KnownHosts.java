package dev.rigger.controller.ssh;

import dev.rigger.controller.state.StateOwnership;
import dev.rigger.files.AtomicFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host keys the controller trusts, in OpenSSH known_hosts format: the project's writable file
 * ({@code .rigger/known_hosts}), further read-only files (e.g. the lab's), and the keys an inventory entry
 * gives for its host. A host whose key matches any recorded entry is accepted; a host with recorded keys
 * that all differ is always refused; an unknown host is refused unless new hosts are trusted (accept-new),
 * in which case its key is appended to the writable file.
 */
public final class KnownHosts implements ServerKeyVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(KnownHosts.class);
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private final Path writableFile;
    private final List<Path> readOnlyFiles;
    private final boolean trustNewHosts;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    private KnownHosts(Path writableFile, List<Path> readOnlyFiles, boolean trustNewHosts) {
        this.writableFile = writableFile;
        this.readOnlyFiles = List.copyOf(readOnlyFiles);
        this.trustNewHosts = trustNewHosts;
    }

    /**
     * @param writableFile  the project's known_hosts; new keys are recorded here (need not exist yet)
     * @param readOnlyFiles further known_hosts files; missing ones are skipped
     * @param trustNewHosts accept and record the key of a host nothing knows yet (--trust-new-hosts)
     */
    public static KnownHosts load(Path writableFile, List<Path> readOnlyFiles, boolean trustNewHosts)
            throws IOException {
        KnownHosts knownHosts = new KnownHosts(writableFile, readOnlyFiles, trustNewHosts);
        knownHosts.reload();
        return knownHosts;
    }

    /** Reads the files again, e.g. after the lab recorded the keys of new nodes. */
    public synchronized void reload() throws IOException {
        List<Entry> loaded = new ArrayList<>(read(writableFile));
        for (Path file : readOnlyFiles) {
            loaded.addAll(read(file));
        }
        entries.clear();
        entries.addAll(loaded);
    }

    public boolean trustsNewHosts() {
        return trustNewHosts;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        AttributeRepository context = session.getConnectionContext();
        HostKeyCheck check = context == null ? null : context.getAttribute(HostKeyCheck.KEY);
        SshTarget target = check != null ? check.target() : targetFor(remoteAddress, session.getUsername());
        Optional<String> refusal;
        try {
            refusal = refusal(target, serverKey);
        } catch (IOException | RuntimeException e) {
            refusal = Optional.of("host key for " + target.describe() + " could not be checked: " + e.getMessage());
        }
        refusal.ifPresent(reason -> {
            if (check != null) {
                check.refuse(reason);
            }
        });
        return refusal.isEmpty();
    }

    /**
     * Checks the key a host offered; empty when it is trusted (and recorded, for a new host under
     * accept-new), otherwise the reason it is refused.
     */
    public Optional<String> refusal(SshTarget target, PublicKey offered) throws IOException {
        HostKey key = HostKey.of(offered);
        List<String> names = lookupNames(target);
        List<Entry> known = new ArrayList<>();
        for (String line : target.hostKeys()) {
            Entry entry = Entry.parse(null, line, "the inventory");
            if (entry != null) {
                known.add(entry);
            }
        }
        for (Entry entry : entries) {
            if (entry.matchesAny(names)) {
                if (entry.revoked() && entry.key().equals(key)) {
                    return Optional.of("host key " + key.fingerprint() + " of " + target.describe()
                            + " is marked @revoked in " + entry.source() + "; refusing to connect");
                }
                if (entry.plain()) {
                    known.add(entry);
                }
            }
        }
        if (known.stream().anyMatch(entry -> entry.key().equals(key))) {
            return Optional.empty();
        }
        if (!known.isEmpty()) {
            return Optional.of(mismatch(target, key, known));
        }
        if (!trustNewHosts) {
            return Optional.of("host key for " + target.describe() + " is not known: the host offered "
                    + key.type() + " key " + key.fingerprint() + "; if that is the host's key, run again with"
                    + " --trust-new-hosts to record it, or add it to " + writableFile);
        }
        record(target, key);
        return Optional.empty();
    }

    private String mismatch(SshTarget target, HostKey offered, List<Entry> known) {
        Entry sameType = known.stream().filter(e -> e.key().type().equals(offered.type())).findFirst().orElse(null);
        Entry recorded = sameType != null ? sameType : known.get(0);
        String message = "host key for " + target.describe() + " does not match the recorded key "
                + recorded.key().fingerprint() + "; someone may be intercepting the connection (the host offered "
                + offered.type() + " " + offered.fingerprint() + "; recorded in " + recorded.source() + ")";
        if (sameType == null) {
            message += "; only " + recorded.key().type() + " keys are recorded for it";
        }
        return message;
    }

    private synchronized void record(SshTarget target, HostKey key) throws IOException {
        String pattern = hostPattern(target.address(), target.port());
        String line = pattern + " " + key.type() + " " + key.base64();
        Entry entry = Entry.parse(null, pattern, key.type() + " " + key.base64(), writableFile.toString());
        appendAtomically(line);
        entries.add(entry);
        LOG.info("recorded host key {} of {} in {}", key.fingerprint(), target.describe(), writableFile);
    }

    private void appendAtomically(String line) throws IOException {
        Path dir = writableFile.toAbsolutePath().getParent();
        StateOwnership.createDirectory(dir);
        String current = Files.exists(writableFile) ? Files.readString(writableFile, StandardCharsets.UTF_8) : "";
        if (!current.isEmpty() && !current.endsWith("\n")) {
            current += "\n";
        }
        AtomicFiles.write(writableFile, (current + line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static List<Entry> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Entry> result = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String marker = null;
            if (line.startsWith("@")) {
                String[] split = BLANKS.split(line, 2);
                if (split.length < 2) {
                    continue;
                }
                marker = split[0];
                line = split[1];
            }
            String[] parts = BLANKS.split(line, 2);
            if (parts.length < 2) {
                continue;
            }
            Entry entry = Entry.parse(marker, parts[0], parts[1], file.toString());
            if (entry != null) {
                result.add(entry);
            }
        }
        return result;
    }

    /** The names known_hosts lines are looked up by: {@code host} on port 22, {@code [host]:port} otherwise. */
    static String hostPattern(String host, int port) {
        String lower = host.toLowerCase(Locale.ROOT);
        return port == SshTarget.DEFAULT_PORT ? lower : "[" + lower + "]:" + port;
    }

    private static List<String> lookupNames(SshTarget target) {
        List<String> names = new ArrayList<>();
        names.add(hostPattern(target.address(), target.port()));
        String byName = hostPattern(target.name(), target.port());
        if (!names.contains(byName)) {
            names.add(byName);
        }
        return names;
    }

    private static SshTarget targetFor(SocketAddress remote, String user) {
        if (remote instanceof InetSocketAddress inet) {
            String host = inet.getHostString();
            return new SshTarget(host, host, inet.getPort(), user == null ? "?" : user, Path.of("none"), List.of());
        }
        return new SshTarget(String.valueOf(remote), String.valueOf(remote), SshTarget.DEFAULT_PORT,
                user == null ? "?" : user, Path.of("none"), List.of());
    }

    /** A public key as its SSH wire blob, which is what known_hosts records (base64). */
    record HostKey(String type, String base64) {

        static HostKey of(PublicKey key) {
            String[] parts = BLANKS.split(PublicKeyEntry.toString(key).strip());
            return new HostKey(parts[0], parts[1]);
        }

        String fingerprint() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64));
                return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }

        @Override
        public boolean equals(Object other) {
            // the type in the line may be an alias (ssh-rsa vs rsa-sha2-*); the blob names the real type
            return other instanceof HostKey key && key.base64.equals(base64);
        }

        @Override
        public int hashCode() {
            return base64.hashCode();
        }
    }

    /** One known_hosts line; {@code patterns == null} for inventory keys, which apply to their own host. */
    record Entry(String marker, String patterns, HostKey key, String source) {

        static Entry parse(String marker, String keyLine, String source) {
            return parse(marker, null, keyLine, source);
        }

        static Entry parse(String marker, String patterns, String keyLine, String source) {
            String[] parts = BLANKS.split(keyLine.strip());
            if (parts.length < 2) {
                return null;
            }
            try {
                Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                return null;
            }
            return new Entry(marker, patterns, new HostKey(parts[0], parts[1]), source);
        }

        boolean plain() {
            return marker == null;
        }

        boolean revoked() {
            return "@revoked".equals(marker);
        }

        boolean matchesAny(List<String> names) {
            if (patterns == null) {
                return false;
            }
            for (String name : names) {
                if (matches(name)) {
                    return true;
                }
            }
            return false;
        }

        /** OpenSSH rules: comma-separated patterns, {@code *} and {@code ?} globs, {@code !} negates, hashed names. */
        boolean matches(String name) {
            if (patterns.startsWith("|1|")) {
                return hashedMatches(patterns, name);
            }
            boolean matched = false;
            for (String pattern : patterns.split(",")) {
                boolean negated = pattern.startsWith("!");
                String glob = (negated ? pattern.substring(1) : pattern).toLowerCase(Locale.ROOT);
                if (globMatches(glob, name)) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
            return matched;
        }

        private static boolean hashedMatches(String hashed, String name) {
            String[] parts = hashed.split("\\|");
            if (parts.length != 4) {
                return false;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(parts[2]), "HmacSHA1"));
                byte[] expected = Base64.getDecoder().decode(parts[3]);
                return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }

        private static boolean globMatches(String glob, String name) {
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return name.matches(regex.toString());
        }
    }
}
