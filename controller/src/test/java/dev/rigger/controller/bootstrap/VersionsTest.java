package dev.rigger.controller.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void readsTheJavaMajorVersionOfOldAndNewVersionLines() {
        assertThat(Versions.javaMajor("openjdk version \"17.0.15\" 2025-04-15")).isEqualTo(17);
        assertThat(Versions.javaMajor("openjdk version \"21\" 2023-09-19")).isEqualTo(21);
        assertThat(Versions.javaMajor("java version \"1.8.0_292\"")).isEqualTo(8);
        assertThat(Versions.javaMajor("bash: java: command not found")).isZero();
    }

    @Test
    void readsGlibcFromLddAndGetconf() {
        assertThat(Versions.glibc("ldd (Debian GLIBC 2.36-9+deb12u10) 2.36")).isEqualTo("2.36");
        assertThat(Versions.glibc("glibc 2.31")).isEqualTo("2.31");
        assertThat(Versions.glibc("musl libc (x86_64)")).isNull();
    }

    @Test
    void comparesVersionsNumerically() {
        assertThat(Versions.compare("2.36", "2.4")).isPositive();
        assertThat(Versions.compare("2.31", "2.36")).isNegative();
        assertThat(Versions.compare("2.36", "2.36")).isZero();
        assertThat(Versions.compare(null, "2.17")).isNegative();
    }
}
