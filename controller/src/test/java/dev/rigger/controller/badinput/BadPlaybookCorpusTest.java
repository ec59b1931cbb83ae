package dev.rigger.controller.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.controller.e2e.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every playbook of the corpus is refused by the real CLI with exit code 2, a message that names the
 * JSON pointer and the line:column of the mistake, no stack trace, and no connection to the inventory's host.
 */
class BadPlaybookCorpusTest {
    private static final Pattern LOCATED = Pattern.compile(":(\\d+):(\\d+): ");

    @TempDir
    static Path dir;
    private static WatchedHost host;
    private static Path inventory;

    @BeforeAll
    static void watchTheHost() throws IOException {
        host = new WatchedHost();
        inventory = host.writeInventory(dir.resolve("inventory.json"));
    }

    @AfterAll
    static void stopWatching() throws IOException {
        host.close();
    }

    static List<Corpus.Case> corpus() {
        return Corpus.all();
    }

    @Test
    void theCorpusHoldsAtLeastTwoHundredCases() {
        assertThat(Corpus.all()).hasSizeGreaterThanOrEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @DisplayName("a bad playbook exits 2 naming the pointer and line:column, before any host is contacted")
    void aBadPlaybookIsRefusedBeforeAnyHostIsContacted(Corpus.Case c) throws IOException {
        CliRun run = CliRun.quiet("play", c.file().toString(), "--inventory", inventory.toString(),
                "--state", dir.resolve("state").toString());

        assertThat(run.exitCode()).as("%s: exit code; stderr:%n%s", c, run.err()).isEqualTo(2);
        CleanErrors.assertNoStackTrace(run, c.toString());
        CleanErrors.assertEveryLineStartsWith(run, c.toString(), Corpus.cases() + "/", Corpus.root() + "/", "rigger: ");
        assertThat(run.out()).as("%s: nothing on stdout", c).isEmpty();
        assertThat(locatedAt(run.err(), CleanErrors.shown(c.pointer())))
                .as("%s: a line 'file:LINE:COLUMN: %s...' in:%n%s", c, CleanErrors.shown(c.pointer()), run.err())
                .isTrue();
        assertThat(host.wasContacted()).as("%s: the host was contacted", c).isFalse();
        assertThat(Files.exists(dir.resolve("state").resolve("state.json"))).as("%s: no state written", c).isFalse();
    }

    /** True when a line names a line and column (both from 1) followed by the pointer. */
    private static boolean locatedAt(String err, String pointer) {
        for (String line : err.split("\n")) {
            Matcher m = LOCATED.matcher(line);
            while (m.find()) {
                if (Integer.parseInt(m.group(1)) >= 1 && Integer.parseInt(m.group(2)) >= 1
                        && line.startsWith(pointer, m.end())) {
                    return true;
                }
            }
        }
        return false;
    }
}
