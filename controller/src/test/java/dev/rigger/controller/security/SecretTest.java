package dev.rigger.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void printsAsStarsWhereverItIsFormatted() {
        Secret secret = Secret.of("hunter2");
        StringWriter log = new StringWriter();
        new PrintWriter(log, true).printf("token=%s in %s%n", secret, Map.of("token", secret));

        assertThat(secret.toString()).isEqualTo("***");
        assertThat("token " + secret).isEqualTo("token ***");
        assertThat(String.format("%s", secret)).isEqualTo("***");
        assertThat(log.toString()).doesNotContain("hunter2").contains("token=*** in {token=***}");
    }

    @Test
    void revealsTheValueOnlyWhenAsked() {
        assertThat(Secret.of("hunter2").reveal()).isEqualTo("hunter2");
    }

    @Test
    void equalsComparesValues() {
        assertThat(Secret.of("a-token")).isEqualTo(Secret.of("a-token")).isNotEqualTo(Secret.of("a-tokeN"))
                .hasSameHashCodeAs(Secret.of("other"));
        assertThat(Secret.of("a-token").matches("a-token")).isTrue();
        assertThat(Secret.of("a-token").matches("a-toke")).isFalse();
        assertThat(Secret.of("a-token").matches(null)).isFalse();
    }

    @Test
    void anExceptionMessageBuiltFromASecretDoesNotCarryIt() {
        Secret secret = Secret.of("hunter2");
        IllegalStateException error = new IllegalStateException("agent sent a wrong token " + secret);

        assertThat(error).hasMessageNotContaining("hunter2");
    }
}
