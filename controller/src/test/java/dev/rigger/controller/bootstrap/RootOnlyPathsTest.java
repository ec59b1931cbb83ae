package dev.rigger.controller.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RootOnlyPathsTest {

    private static final List<String> ANCESTORS = RootOnlyPaths.ancestors("/var/lib/rigger");
    private static final List<String> OWN = List.of("/var/lib/rigger", "/var/lib/rigger/agent",
            "/var/lib/rigger/agent/abc.jar");

    @Test
    void theAncestorsOfTheRemoteRootRunUpToTheRoot() {
        assertThat(ANCESTORS).containsExactly("/", "/var", "/var/lib");
    }

    @Test
    void aTreeOnlyRootCanWriteIsTrusted() {
        assertThat(refusal("0 41ed /", "0 41ed /var", "0 41ed /var/lib", "0 41ed /var/lib/rigger",
                "0 41ed /var/lib/rigger/agent", "0 81a4 /var/lib/rigger/agent/abc.jar")).isNull();
    }

    @Test
    void missingPathsAreTrustedBecauseRootMakesThem() {
        assertThat(refusal("0 41ed /", "0 41ed /var", "0 41ed /var/lib")).isNull();
    }

    @Test
    void aGroupWritableRemoteRootIsRefusedNamingItsModeAndTheFix() {
        assertThat(refusal("0 41ed /var/lib", "0 41fd /var/lib/rigger")).isEqualTo("node2: /var/lib/rigger is mode"
                + " 0775 (group-writable); rigger runs its agent as root only from a directory only root can write:"
                + " chmod 0755 /var/lib/rigger");
    }

    @Test
    void aRemoteRootOwnedByAnotherUserIsRefused() {
        assertThat(refusal("444 41ed /var/lib/rigger")).startsWith("node2: /var/lib/rigger is owned by uid 444;")
                .endsWith("chown root:root /var/lib/rigger");
    }

    @Test
    void aWorldWritableJarIsRefused() {
        assertThat(refusal("0 81b6 /var/lib/rigger/agent/abc.jar")).startsWith("node2: /var/lib/rigger/agent/abc.jar"
                + " is mode 0666 (group- and world-writable); rigger runs its agent as root only from a file only root"
                + " can write: chmod 0644");
    }

    @Test
    void aSymlinkAnywhereOnThePathIsRefused() {
        assertThat(refusal("0 a1ff /var/lib")).startsWith("node2: /var/lib is a symbolic link;");
        assertThat(refusal("0 a1ff /var/lib/rigger/agent")).startsWith("node2: /var/lib/rigger/agent is a symbolic link;");
    }

    @Test
    void aStickyWorldWritableAncestorIsTrustedButNotTheRemoteRootItself() {
        List<String> ancestors = RootOnlyPaths.ancestors("/tmp/rigger");
        Map<String, PathStat> sticky = stats("0 43ff /tmp", "0 41c0 /tmp/rigger");
        assertThat(RootOnlyPaths.refusal("node2", sticky, ancestors, List.of("/tmp/rigger"))).isNull();

        Map<String, PathStat> open = stats("0 43ff /tmp", "0 43ff /tmp/rigger");
        assertThat(RootOnlyPaths.refusal("node2", open, ancestors, List.of("/tmp/rigger")))
                .startsWith("node2: /tmp/rigger is mode 1777 (group- and world-writable)");
    }

    private static String refusal(String... lines) {
        return RootOnlyPaths.refusal("node2", stats(lines), ANCESTORS, OWN);
    }

    private static Map<String, PathStat> stats(String... lines) {
        return Arrays.stream(lines).map(PathStat::parse)
                .collect(Collectors.toMap(PathStat::path, s -> s));
    }
}
