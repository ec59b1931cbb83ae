package dev.rigger.agent.modules.packages;

import static dev.rigger.agent.testing.Modules.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.testing.Modules;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package module against this host's real dpkg and apt-get. */
class PackageModuleTest {
    /** Small packages nobody needs on a build host; the test uses the first one that is not installed. */
    static final List<String> UNLIKELY = List.of("sl", "cowsay", "fortune-mod", "bsdgames");

    @TempDir
    Path tmp;

    @BeforeEach
    void needsDpkgAndApt() {
        Prerequisites.requireBinaries("dpkg-query", "apt-get");
    }

    @Test
    void checkModeListsThePackagesItWouldInstallAndInstallsNone() {
        String missing = UNLIKELY.stream().filter(p -> !installed(p)).findFirst()
                .orElseThrow(() -> new AssertionError("all of " + UNLIKELY + " are installed; none is left to test with"));

        ModuleResult r = Modules.check("package", "{\"name\":[\"coreutils\",\"" + missing + "\"]}");

        assertThat(r.status()).as(r.msg()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).as("only the missing one is listed").isEqualTo("would install " + missing);
        assertThat(r.data()).containsEntry("changed", List.of(missing)).containsEntry("state", "present");
        assertThat(r.steps()).allSatisfy(s -> assertThat(s.exitCode()).as("not run").isEqualTo(-1));
        assertThat(r.steps()).last().satisfies(s -> assertThat(s.argv()).startsWith("apt-get", "install").endsWith(missing));
        assertThat(installed(missing)).as(missing + " still not installed").isFalse();
    }

    @Test
    void aPackageAptCannotFindFailsNamingItAndQuotingApt() {
        Prerequisites.requireRoot();
        ModuleResult r = Modules.apply("package", "{\"name\":[\"coreutils\",\"rigger-no-such-package\"]}");

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).startsWith("package rigger-no-such-package: apt-get install")
                .contains("E: Unable to locate package rigger-no-such-package");
        assertThat(r.steps()).last().satisfies(s -> assertThat(s.exitCode()).isEqualTo(100));
    }

    @Test
    void aHostWithoutPackageListsUpdatesThemBeforeInstalling() {
        PackageModule module = new PackageModule(new AptLists(tmp.resolve("lists")));
        Plan plan = module.plan(args("{\"name\":\"rigger-no-such-package\"}"), new ModuleContext());
        assertThat(plan.steps()).extracting(s -> s.argv().get(1)).containsExactly("update", "install");
        assertThat(plan.msg()).isEqualTo("install rigger-no-such-package");
    }

    @Test
    void updateCacheUpdatesFirstOnlyWhenSomethingIsToBeInstalled() {
        PackageModule module = new PackageModule(AptLists.system());
        Plan missing = module.plan(args("{\"name\":\"rigger-no-such-package\",\"updateCache\":true}"), new ModuleContext());
        assertThat(missing.steps()).extracting(s -> s.argv().get(1)).containsExactly("update", "install");
        assertThat(missing.msg()).isEqualTo("install rigger-no-such-package");

        Plan present = module.plan(args("{\"name\":\"coreutils\",\"updateCache\":true}"), new ModuleContext());
        assertThat(present.isNoop()).as("a converged host stays unchanged").isTrue();
    }

    @Test
    void packageListsAreEmptyWithoutPackagesFilesAndStaleWhenOlderThanADay() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("lists"));
        AptLists lists = new AptLists(dir);
        Files.createDirectories(dir.resolve("partial"));
        Files.writeString(dir.resolve("lock"), "");
        assertThat(lists.empty()).isTrue();
        assertThat(lists.stale()).isTrue();

        Path packages = Files.writeString(dir.resolve("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"), "x");
        assertThat(lists.empty()).isFalse();
        assertThat(lists.stale()).isFalse();

        Files.setLastModifiedTime(packages, FileTime.from(Instant.now().minus(AptLists.STALE_AFTER).minus(Duration.ofHours(1))));
        assertThat(lists.empty()).isFalse();
        assertThat(lists.stale()).isTrue();
    }

    private static boolean installed(String pkg) {
        var out = CommandRunner.probe("dpkg-query", "-W", "-f=${Status}", pkg);
        return out.ok() && out.stdout().contains("install ok installed");
    }
}
