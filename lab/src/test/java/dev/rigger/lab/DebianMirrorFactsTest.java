package dev.rigger.lab;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DebianMirrorFactsTest {
    @Test
    void takesTheReleaseSuiteOfTheFirstDebStanzaAndSkipsUpdatesAndSecurity() {
        String sources = """
                Types: deb-src
                URIs: http://src.example/debian
                Suites: bookworm
                Components: main

                Types: deb
                # a comment line
                URIs: http://mirror.example/debian
                Suites: bookworm-updates bookworm
                Components: main
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                Types: deb
                URIs: http://mirror.example/debian-security
                Suites: bookworm-security
                """;
        assertThat(DebianMirrorFacts.fromDeb822(sources))
                .contains(new DebianMirrorFacts("http://mirror.example/debian", "bookworm"));
    }

    @Test
    void readsTheOneLineFormatWithOptions() {
        String sources = """
                # deb http://old.example/debian buster main
                deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib
                deb http://mirror.example/debian bookworm-updates main
                """;
        assertThat(DebianMirrorFacts.fromOneLine(sources))
                .contains(new DebianMirrorFacts("http://mirror.example/debian", "bookworm"));
    }

    @Test
    void findsNothingWhereNoReleaseSuiteIsConfigured() {
        assertThat(DebianMirrorFacts.fromDeb822("Types: deb\nURIs: http://m/debian\nSuites: bookworm-security\n")).isEmpty();
        assertThat(DebianMirrorFacts.fromOneLine("")).isEmpty();
    }
}
