package dev.rigger.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {

    private static PublicKey hostKey;
    private static PublicKey otherKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        hostKey = generator.generateKeyPair().getPublic();
        otherKey = generator.generateKeyPair().getPublic();
    }

    @Test
    void looksUpPort22ByThePlainAddressAndOtherPortsInBrackets() throws Exception {
        Path file = write("10.0.0.5 " + line(hostKey));
        KnownHosts knownHosts = KnownHosts.load(file, List.of(), false);

        assertThat(knownHosts.refusal(target("web", "10.0.0.5", 22), hostKey)).isEmpty();
        assertThat(knownHosts.refusal(target("web", "10.0.0.5", 2222), hostKey)).get(STRING)
                .contains("is not known");
    }

    @Test
    void matchesCommaListsGlobsAndNegations() throws Exception {
        Path file = write("# comment\n\nnode*.lab,!node2.lab " + line(hostKey));
        KnownHosts knownHosts = KnownHosts.load(file, List.of(), false);

        assertThat(knownHosts.refusal(target("a", "node1.lab", 22), hostKey)).isEmpty();
        assertThat(knownHosts.refusal(target("a", "node2.lab", 22), hostKey)).isPresent();
        assertThat(knownHosts.refusal(target("a", "other.lab", 22), hostKey)).isPresent();
    }

    @Test
    void matchesHostNamesHashedBySshKeygen() throws Exception {
        Prerequisites.require(LocalSshd.onPath("ssh-keygen"), "ssh-keygen (Debian package openssh-client)");
        Path file = write("10.1.2.3 " + line(hostKey));
        Process hash = new ProcessBuilder("ssh-keygen", "-H", "-f", file.toString()).redirectErrorStream(true).start();
        hash.getInputStream().readAllBytes();
        assertThat(hash.waitFor(30, TimeUnit.SECONDS) && hash.exitValue() == 0).isTrue();
        assertThat(Files.readString(file)).as("hashed by ssh-keygen").startsWith("|1|").doesNotContain("10.1.2.3");

        KnownHosts knownHosts = KnownHosts.load(file, List.of(), false);

        assertThat(knownHosts.refusal(target("db", "10.1.2.3", 22), hostKey)).isEmpty();
        assertThat(knownHosts.refusal(target("db", "10.1.2.4", 22), hostKey)).isPresent();
    }

    @Test
    void refusesARevokedKeyEvenWhenTrustingNewHosts() throws Exception {
        Path file = write("@revoked * " + line(hostKey));
        KnownHosts knownHosts = KnownHosts.load(file, List.of(), true);

        assertThat(knownHosts.refusal(target("db", "10.1.2.3", 22), hostKey)).get(STRING)
                .contains("@revoked");
    }

    @Test
    void acceptsAnyOfSeveralRecordedKeysAndNamesTheRecordedOneOnMismatch() throws Exception {
        Path file = write("10.1.2.3 " + line(otherKey) + "\n10.1.2.3 " + line(hostKey));
        KnownHosts knownHosts = KnownHosts.load(file, List.of(), false);
        KnownHosts onlyOther = KnownHosts.load(write("10.1.2.3 " + line(otherKey)), List.of(), true);

        assertThat(knownHosts.refusal(target("db", "10.1.2.3", 22), hostKey)).isEmpty();
        assertThat(onlyOther.refusal(target("db", "10.1.2.3", 22), hostKey)).get(STRING)
                .contains("host key for db (10.1.2.3:22) does not match the recorded key "
                        + KnownHosts.HostKey.of(otherKey).fingerprint());
    }

    @Test
    void recordsANewHostByAppendingToTheFileAndKeepsWhatWasThere() throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "# mine\n10.9.9.9 " + line(otherKey));
        KnownHosts knownHosts = KnownHosts.load(file, List.of(), true);

        assertThat(knownHosts.refusal(target("web", "10.0.0.7", 2200), hostKey)).isEmpty();

        assertThat(Files.readAllLines(file)).containsExactly("# mine", "10.9.9.9 " + line(otherKey),
                "[10.0.0.7]:2200 " + line(hostKey));
        assertThat(knownHosts.refusal(target("web", "10.0.0.7", 2200), otherKey)).as("now recorded")
                .get(STRING).contains("does not match");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    private Path write(String content) throws Exception {
        Path file = Files.createTempFile(dir, "known_hosts", "");
        Files.writeString(file, content + "\n");
        return file;
    }

    private static String line(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    private static SshTarget target(String name, String address, int port) {
        return new SshTarget(name, address, port, "root", Path.of("id"), List.of());
    }
}
