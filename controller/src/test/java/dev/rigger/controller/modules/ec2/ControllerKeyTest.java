package dev.rigger.controller.modules.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerKeyTest {

    private static void requireSshKeygen() {
        boolean found = Files.isExecutable(Path.of("/usr/bin/ssh-keygen")) || Files.isExecutable(Path.of("/bin/ssh-keygen"));
        if (!found && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("ssh-keygen is missing (CI must provide openssh-client)");
        }
        assumeTrue(found, "ssh-keygen is missing");
    }

    @Test
    void theDefaultKeyIsMadeOnceAsAnOpenSshPairThatOnlyItsOwnerCanRead(@TempDir Path state) throws Exception {
        requireSshKeygen();
        ControllerKey key = ControllerKey.of(Ec2Args.from((ObjectNode) new ObjectMapper().readTree("{\"cluster\": \"c\", \"clientCidr\": \"10.0.0.1/32\"}")),
                state);
        assertThat(key.exists()).isFalse();

        key.generate();

        assertThat(key.exists()).isTrue();
        assertThat(Files.readString(key.identityFile())).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.identityFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.identityFile().getParent())))
                .isEqualTo("rwx------");
        assertThat(key.publicKey()).startsWith("ssh-ed25519 AAAA");
        assertThat(key.publicKeyBlob()).isEqualTo(ControllerKey.blob(key.publicKey() + " another-comment"))
                .doesNotContain("rigger-controller");
    }
}
