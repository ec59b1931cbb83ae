package dev.rigger.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void oneTimeTokensAre32RandomBytesInBase64Url() {
        Secret token = Tokens.oneTime();

        assertThat(token.reveal()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Base64.getUrlDecoder().decode(token.reveal())).hasSize(32);
        assertThat(token).hasToString("***");
    }

    @Test
    void everyTokenIsNew() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(Tokens.oneTime().reveal());
        }
        assertThat(seen).hasSize(1000);
    }
}
