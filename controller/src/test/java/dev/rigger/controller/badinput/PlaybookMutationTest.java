package dev.rigger.controller.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.e2e.CliRun;
import dev.rigger.playbook.PlaybookException;
import dev.rigger.playbook.PlaybookLoader;
import dev.rigger.playbook.Problem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: whatever a valid playbook is turned into, {@code rigger play} either refuses it with exit code 2
 * and exactly the loader's problems (each with its place), touching no host, or — when the mutant is still
 * valid — runs it in check mode against a host on a closed port and ends with a run's exit code, never 2 or 4
 * and never a stack trace.
 *
 * <p>Seeds 0..N-1 (N from {@code -Drigger.mutations}, 300 by default), so a failure names the seed that
 * reproduces it.
 */
class PlaybookMutationTest {
    private static final List<String> BASES = List.of("disk-prep.json", "files-and-loops.json", "two-plays.json");

    @TempDir
    static Path dir;
    private static WatchedHost watched;
    private static Path watchedInventory;
    private static Path closedInventory;

    @BeforeAll
    static void hosts() throws IOException {
        watched = new WatchedHost();
        watchedInventory = watched.writeInventory(dir.resolve("watched.json"));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        closedInventory = TestIdentity.inventory(dir.resolve("closed.json"), closedPort);
    }

    @AfterAll
    static void close() throws IOException {
        watched.close();
    }

    @Test
    void everyBaseIsAValidPlaybook() throws Exception {
        for (String base : BASES) {
            new PlaybookLoader().load(Corpus.root().resolve("valid").resolve(base), Map.of());
        }
    }

    @TestFactory
    Stream<DynamicTest> aMutatedPlaybookIsRefusedCleanlyOrRunsWithoutReachingAnyOtherHost() {
        long n = Long.getLong("rigger.mutations", 300);
        return LongStream.range(0, n).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed)));
    }

    private static void check(long seed) throws Exception {
        String base = BASES.get((int) (seed % BASES.size()));
        PlaybookMutator mutator = new PlaybookMutator(seed);
        String valid = Files.readString(Corpus.root().resolve("valid").resolve(base));
        // one seed in four only spoils string values, so that valid mutants (and their runs) are common too
        String text = seed % 4 == 3 ? mutator.spoilStrings(valid) : mutator.mutate(valid);
        Path file = dir.resolve("mutant-" + seed + ".json");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        String what = "seed " + seed + " (" + base + ": " + String.join("; ", mutator.applied()) + ")";

        List<Problem> problems;
        try {
            new PlaybookLoader().load(file, Map.of());
            problems = List.of();
        } catch (PlaybookException e) {
            problems = e.problems();
        }

        if (!problems.isEmpty()) {
            CliRun run = CliRun.quiet("play", file.toString(), "--inventory", watchedInventory.toString(),
                    "--state", dir.resolve("state-" + seed).toString());
            assertThat(run.exitCode()).as("%s: exit code; stderr:%n%s", what, run.err()).isEqualTo(2);
            assertThat(run.err().strip()).as(what)
                    .isEqualTo(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
            assertThat(problems).as("%s: every problem has its place", what)
                    .allSatisfy(p -> assertThat(p.line()).as("%s: %s", what, p).isPositive());
            CleanErrors.assertNoStackTrace(run, what);
            assertThat(watched.wasContacted()).as("%s: the host was contacted", what).isFalse();
        } else {
            CliRun run = CliRun.quiet("play", file.toString(), "--check", "--inventory", closedInventory.toString(),
                    "--state", dir.resolve("state-" + seed).toString());
            // the host is unreachable: 3, or 1 when that crossed the play's maxFailPercent
            boolean aborted = run.out().contains("PLAY ABORTED");
            assertThat(run.exitCode()).as("%s: exit code of a valid mutant; stderr:%n%s%nstdout:%n%s",
                    what, run.err(), run.out()).isEqualTo(aborted ? 1 : 3);
            assertThat(run.out()).as("%s: the closed port was dialled", what).contains("unreachable: [node1]")
                    .contains("refused");
            CleanErrors.assertNoStackTrace(run, what);
        }
    }
}
